import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, makeAgeKeys, project, put, type AgeKey } from "../operations/lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(2);
});

describe("sobre filestatus", () => {
  it('prints {"encrypted":true} / {"encrypted":false} exactly like SOPS', async () => {
    const { dir, env } = project(keys);
    put(dir, "plain.json", '{"a": "b"}');
    put(dir, "enc.json", '{"a": "b"}');
    put(dir, "notes.txt", "not encrypted at all");
    expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "enc.json"], { cwd: dir, env })).code).toBe(0);
    expect((await cli(["filestatus", "enc.json"], { cwd: dir, env: {} })).stdout).toBe('{"encrypted":true}\n');
    expect((await cli(["filestatus", "plain.json"], { cwd: dir, env: {} })).stdout).toBe('{"encrypted":false}\n');
    const bin = await cli(["filestatus", "notes.txt"], { cwd: dir, env: {} });
    expect(bin.stdout).toBe('{"encrypted":false}\n');
    expect(bin.code).toBe(0);
  });

  it("a sops block without mac or version is not encrypted (SOPS rule)", async () => {
    const { dir } = project();
    put(dir, "half.json", '{"a": "b", "sops": {"version": "3.9.0"}}');
    expect((await cli(["filestatus", "half.json"], { cwd: dir, env: {} })).stdout).toBe('{"encrypted":false}\n');
  });

  it("missing FILE or file: exit 100", async () => {
    const { dir } = project();
    expect((await cli(["filestatus"], { cwd: dir, env: {} })).code).toBe(100);
    expect((await cli(["filestatus", "nope.json"], { cwd: dir, env: {} })).code).toBe(100);
  });
});

describe("sobre init", () => {
  it("--yes creates an age identity (0600) and a .sops.yaml that encrypt then uses", async () => {
    const { dir, env } = project();
    const r = await cli(["init", "--yes"], { cwd: dir, env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const identity = join(env["XDG_CONFIG_HOME"]!, "sops", "age", "keys.txt");
    expect(statSync(identity).mode & 0o777).toBe(0o600);
    expect(statSync(join(identity, "..")).mode & 0o777).toBe(0o700);
    const text = readFileSync(identity, "utf8");
    expect(text).toMatch(/^# created: /);
    const recipient = /# public key: (age1\S+)/.exec(text)![1]!;
    expect(r.stdout).toContain(recipient);
    expect(r.stdout).toMatch(/sobre edit secrets\.yaml/);
    expect(readFileSync(join(dir, ".sops.yaml"), "utf8")).toContain(recipient);
    put(dir, "x.json", '{"k": "v"}');
    expect((await cli(["encrypt", "-i", "x.json"], { cwd: dir, env })).code).toBe(0);
    // SOPS finds the identity in the default place, so decrypt works without SOPS_AGE_KEY.
    expect(JSON.parse((await cli(["decrypt", "x.json"], { cwd: dir, env })).stdout)).toEqual({ k: "v" });
  });

  it("reuses an existing identity and never overwrites it", async () => {
    const { dir, env } = project();
    const path = join(dir, "my-keys.txt");
    put(dir, "my-keys.txt", `# test\n${keys[0]!.identity.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"))}\n`);
    const before = readFileSync(path, "utf8");
    const r = await cli(["init", "--yes", "--identity", "my-keys.txt", "--path-regex", "\\.prod\\.yaml$"], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(before);
    const config = readFileSync(join(dir, ".sops.yaml"), "utf8");
    expect(config).toContain(keys[0]!.recipient);
    expect(config).toContain("path_regex: \\.prod\\.yaml$");
  });

  it("--age uses given recipients and creates no identity; the config is valid for sobre", async () => {
    const { dir, env } = project();
    const r = await cli(["init", "--yes", "--age", keys[0]!.recipient, "--age", keys[1]!.recipient, "--encrypted-regex", "^(data|stringData)$"], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(existsSync(join(env["XDG_CONFIG_HOME"]!, "sops"))).toBe(false);
    put(dir, "x.json", '{"data": "v", "kind": "k"}');
    expect((await cli(["encrypt", "-i", "x.json"], { cwd: dir, env })).code).toBe(0);
    const enc = JSON.parse(readFileSync(join(dir, "x.json"), "utf8"));
    expect(enc.kind).toBe("k");
    expect(enc.data).toMatch(/^ENC\[/);
    expect(enc.sops.age).toHaveLength(2);
  });

  it("answers from stdin when not on a terminal", async () => {
    const { dir, env } = project();
    const r = await cli(["init"], { cwd: dir, env, stdin: "y\n^secrets/\n" });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Create one\?/);
    expect(readFileSync(join(dir, ".sops.yaml"), "utf8")).toContain("path_regex: ^secrets/");
  });

  it("refuses to replace an existing .sops.yaml without --force; rejects a bad regex", async () => {
    const { dir, env } = project();
    put(dir, ".sops.yaml", "creation_rules: []\n");
    const r = await cli(["init", "--yes", "--age", keys[0]!.recipient], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    expect((await cli(["init", "--yes", "--force", "--age", keys[0]!.recipient], { cwd: dir, env })).code).toBe(0);
    expect((await cli(["init", "--yes", "--force", "--age", keys[0]!.recipient, "--path-regex", "(?<=x)"], { cwd: dir, env })).stderr).toMatch(/invalid path regex/);
  });
});
