import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseJsonValue } from "../../src/operations/json-value.js";
import { nodesEqual, setAtPath, unsetAtPath } from "../../src/operations/tree-edit.js";
import { T } from "../../src/tree/types.js";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(2);
});

async function setup(json = '{\n\t"db": {\n\t\t"user": "alice",\n\t\t"password": "hunter2"\n\t},\n\t"list": [\n\t\t"a",\n\t\t"b"\n\t]\n}\n') {
  const { dir, env } = project(keys.slice(0, 1));
  put(dir, "s.json", json);
  expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "s.json"], { cwd: dir, env })).code).toBe(0);
  const path = join(dir, "s.json");
  const decrypted = async () => JSON.parse((await cli(["decrypt", "s.json"], { cwd: dir, env })).stdout);
  const encrypted = () => JSON.parse(readFileSync(path, "utf8"));
  return { dir, env, path, decrypted, encrypted };
}

describe("parseJsonValue", () => {
  it("keeps int/float by syntax and 64-bit ints exactly", () => {
    expect(parseJsonValue("5")).toEqual(T.int(5));
    expect(parseJsonValue("5.0")).toEqual(T.float(5));
    expect(parseJsonValue("1e3")).toEqual(T.float(1000));
    expect(parseJsonValue("9223372036854775807")).toEqual(T.int(9223372036854775807n));
    expect(parseJsonValue(' "x\\n" ')).toEqual(T.str("x\n"));
    expect(parseJsonValue("null")).toEqual(T.nil());
    expect(parseJsonValue('{"a": [true, false], "a": 1}')).toEqual(T.map([T.entry("a", T.int(1))]));
  });

  it("rejects invalid JSON with exit 7 without echoing the value", () => {
    for (const bad of ["secretword", "'single'", "{", "[1,]", "01", '"unterminated']) {
      let err: { exitCode?: number; message?: string } = {};
      try {
        parseJsonValue(bad);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.exitCode).toBe(7);
      expect(err.message).not.toContain("secretword");
    }
  });
});

describe("tree paths", () => {
  it("set creates missing keys and appends past the end; reports changes", () => {
    const doc = T.map([T.entry("a", T.seq([T.str("x")]))]);
    expect(setAtPath(doc, ["a", 5], T.str("y"))).toBe(true);
    expect(setAtPath(doc, ["b", "c"], T.int(1))).toBe(true);
    expect(setAtPath(doc, ["b", "c"], T.int(1))).toBe(false);
    expect(nodesEqual(doc, T.map([T.entry("a", T.seq([T.str("x"), T.str("y")])), T.entry("b", T.map([T.entry("c", T.int(1))]))]))).toBe(true);
  });

  it("a key where the tree has a list is exit 91", () => {
    const doc = T.map([T.entry("a", T.seq([T.str("x")]))]);
    expect(() => setAtPath(doc, ["a", "k"], T.str("y"))).toThrow(expect.objectContaining({ exitCode: 91 }));
    expect(() => unsetAtPath(doc, [0])).toThrow(expect.objectContaining({ exitCode: 91 }));
  });
});

describe("sobre set", () => {
  it("sets every JSON type and keeps all other ciphertext byte-identical", async () => {
    const s = await setup();
    const before = s.encrypted();
    const value = '{"s": "x", "i": 7, "f": 1.5, "b": true, "n": null, "l": [1, "two"]}';
    const r = await cli(["set", "s.json", '["db"]["extra"]', value], { cwd: s.dir, env: s.env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const after = s.encrypted();
    expect(after.db.user).toBe(before.db.user);
    expect(after.db.password).toBe(before.db.password);
    expect(after.list).toEqual(before.list);
    expect(after.db.extra.i).toMatch(/type:int\]$/);
    expect(after.db.extra.f).toMatch(/type:float\]$/);
    expect(await s.decrypted()).toEqual({ db: { user: "alice", password: "hunter2", extra: JSON.parse(value) }, list: ["a", "b"] });
  });

  it("replaces a value and appends to a list", async () => {
    const s = await setup();
    expect((await cli(["set", "s.json", '["db"]["password"]', '"new"'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect((await cli(["set", "s.json", '["list"][9]', '"c"'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(await s.decrypted()).toEqual({ db: { user: "alice", password: "new" }, list: ["a", "b", "c"] });
  });

  it("--value-stdin and --value-file keep the value off the command line", async () => {
    const s = await setup();
    expect((await cli(["set", "--value-stdin", "s.json", '["db"]["password"]'], { cwd: s.dir, env: s.env, stdin: '"from-stdin"' })).code).toBe(0);
    expect((await s.decrypted()).db.password).toBe("from-stdin");
    writeFileSync(join(s.dir, "v.json"), '"from-file"');
    expect((await cli(["set", "--value-file", "s.json", '["db"]["user"]', "v.json"], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect((await s.decrypted()).db.user).toBe("from-file");
  });

  it("--idempotent does not rewrite an equal value", async () => {
    const s = await setup();
    const before = readFileSync(s.path);
    const mtime = statSync(s.path).mtimeMs;
    expect((await cli(["set", "--idempotent", "s.json", '["db"]["user"]', '"alice"'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(readFileSync(s.path)).toEqual(before);
    expect(statSync(s.path).mtimeMs).toBe(mtime);
  });

  it("SOPS's legacy form: --set '[\"k\"] VALUE' FILE", async () => {
    const s = await setup();
    expect((await cli(["--set", '["db"]["user"] "bob"', "s.json"], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect((await s.decrypted()).db.user).toBe("bob");
  });

  it("error exit codes: 7 bad path or value, 100 arguments/missing file, 91 shape, 128 no key", async () => {
    const s = await setup();
    const run = (argv: string[], env = s.env) => cli(argv, { cwd: s.dir, env });
    expect((await run(["set", "s.json", 'db["x"]', "1"])).code).toBe(7);
    expect((await run(["set", "s.json", '["x"]', "notjson"])).code).toBe(7);
    expect((await run(["set", "s.json", '["x"]'])).code).toBe(100);
    expect((await run(["set", "missing.json", '["x"]', "1"])).code).toBe(100);
    expect((await run(["set", "s.json", '["list"]["k"]', "1"])).code).toBe(91);
    expect((await run(["set", "s.json", '["x"]', "1"], { ...s.env, SOPS_AGE_KEY: keys[1]!.identity })).code).toBe(128);
  });
});

describe("sobre unset", () => {
  it("removes a key and a list item, other ciphertext unchanged", async () => {
    const s = await setup();
    const before = s.encrypted();
    expect((await cli(["unset", "s.json", '["db"]["password"]'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect((await cli(["unset", "s.json", '["list"][0]'], { cwd: s.dir, env: s.env })).code).toBe(0);
    const after = s.encrypted();
    expect(after.db.user).toBe(before.db.user);
    expect(after.list).toEqual([before.list[1]]);
    expect(await s.decrypted()).toEqual({ db: { user: "alice" }, list: ["b"] });
  });

  it("a missing key is exit 1; with --idempotent exit 0 and no rewrite", async () => {
    const s = await setup();
    const before = readFileSync(s.path);
    const r = await cli(["unset", "s.json", '["nope"]'], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/key "nope" not found/);
    expect((await cli(["unset", "--idempotent", "s.json", '["nope"]'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect((await cli(["unset", "--idempotent", "s.json", '["list"][7]'], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(readFileSync(s.path)).toEqual(before);
  });

  it("bad path is exit 7, missing arguments exit 100", async () => {
    const s = await setup();
    expect((await cli(["unset", "s.json", "db"], { cwd: s.dir, env: s.env })).code).toBe(7);
    expect((await cli(["unset", "s.json"], { cwd: s.dir, env: s.env })).code).toBe(100);
  });
});
