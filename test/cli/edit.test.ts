import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { editorCommand } from "../../src/exec/editor.js";
import { memoryBackedCandidates } from "../../src/exec/private-dir.js";
import { splitCommand as splitShellWords } from "../../src/shlex.js";
import { ROOT } from "../helpers/paths.js";
import { backdate, cli, makeAgeKeys, project, put, type AgeKey } from "../operations/lifecycle-helpers.js";

const FAKE_EDITOR = resolve(ROOT, "test/cli/fixtures/fake-editor.mjs");

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(2);
});

interface EditorCall {
  path: string;
  mode: number;
  dirMode: number;
  args: string[];
  content: string;
}

function calls(record: string): EditorCall[] {
  if (!existsSync(record)) return [];
  return readFileSync(record, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EditorCall);
}

async function setup(json = '{\n\t"user": "alice",\n\t"password": "hunter2",\n\t"port": 5432\n}\n') {
  const { dir, env } = project(keys);
  put(dir, "s.json", json);
  const enc = await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "s.json"], { cwd: dir, env });
  expect(enc.code).toBe(0);
  await backdate(join(dir, "s.json"), "json", keys);
  const record = join(dir, "editor-calls.jsonl");
  const editorEnv = (actions: string) => ({ ...env, SOPS_EDITOR: `node ${FAKE_EDITOR}`, EDITOR: "false", FAKE_EDITOR_RECORD: record, FAKE_EDITOR_ACTIONS: actions });
  return { dir, env, record, editorEnv, path: join(dir, "s.json") };
}

describe("sobre edit", () => {
  it("edits one value: only it, lastmodified and mac change; temp file private and removed", async () => {
    const s = await setup();
    const before = readFileSync(s.path, "utf8");
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: s.editorEnv("replace:hunter2=>correct horse") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [call] = calls(s.record);
    expect(call!.content).toContain('"password": "hunter2"');
    expect(call!.mode).toBe(0o600);
    expect(call!.dirMode).toBe(0o700);
    expect(call!.path.endsWith("/s.json")).toBe(true);
    // On tmpfs when there is one, so the plaintext never reaches a disk.
    const memory = memoryBackedCandidates(s.editorEnv("none"))[0];
    expect(call!.path.startsWith(realpathSync(memory ?? tmpdir()) + "/")).toBe(true);
    expect(existsSync(call!.path)).toBe(false);
    expect(existsSync(join(call!.path, ".."))).toBe(false);
    const after = readFileSync(s.path, "utf8");
    const changed = after.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed.map((l) => l.trim().split(":")[0])).toEqual(['"password"', '"lastmodified"', '"mac"']);
    const dec = await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.env });
    expect(JSON.parse(dec.stdout)).toEqual({ user: "alice", password: "correct horse", port: 5432 });
  });

  it("bare `sobre FILE` is edit", async () => {
    const s = await setup();
    const r = await cli(["s.json"], { cwd: s.dir, env: s.editorEnv("replace:alice=>bob") });
    expect(r.code).toBe(0);
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.env })).stdout).user).toBe("bob");
  });

  it("an unchanged file is exit 200 and is not rewritten", async () => {
    const s = await setup();
    const before = readFileSync(s.path);
    const mtime = statSync(s.path).mtimeMs;
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: s.editorEnv("none") });
    expect(r.code).toBe(200);
    expect(r.stderr).toMatch(/file has not been modified/);
    expect(readFileSync(s.path)).toEqual(before);
    expect(statSync(s.path).mtimeMs).toBe(mtime);
    expect(existsSync(calls(s.record)[0]!.path)).toBe(false);
  });

  it("invalid syntax without a terminal fails (no reopen), original intact, temp removed", async () => {
    const s = await setup();
    const before = readFileSync(s.path);
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: s.editorEnv("write:{ not json") });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/s\.json/);
    expect(readFileSync(s.path)).toEqual(before);
    expect(calls(s.record)).toHaveLength(1);
    expect(existsSync(calls(s.record)[0]!.path)).toBe(false);
  });

  it("an editor that fails is exit 201 and changes nothing", async () => {
    const s = await setup();
    const before = readFileSync(s.path);
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: s.editorEnv("fail") });
    expect(r.code).toBe(201);
    expect(readFileSync(s.path)).toEqual(before);
  });

  it("no editor at all is exit 201 with a hint", async () => {
    const s = await setup();
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: { ...s.env, PATH: "/nonexistent", SOPS_EDITOR: "", EDITOR: "" } });
    expect(r.code).toBe(201);
    expect(r.stderr).toMatch(/no editor found/);
    expect(r.stderr).toMatch(/hint: set EDITOR/);
  });

  it("a missing file starts from a template and the creation rules", async () => {
    const s = await setup();
    put(s.dir, ".sops.yaml", `creation_rules:\n  - path_regex: new\\.json$\n    age: ${keys[1]!.recipient}\n`);
    const r = await cli(["edit", "new.json"], { cwd: s.dir, env: s.editorEnv('write:{"token": "t0k"}\n') });
    expect(r.code).toBe(0);
    const text = readFileSync(join(s.dir, "new.json"), "utf8");
    expect(text).toContain(keys[1]!.recipient);
    expect(text).not.toContain("t0k");
    const only1 = { ...s.env, SOPS_AGE_KEY: keys[1]!.identity };
    expect(JSON.parse((await cli(["decrypt", "new.json"], { cwd: s.dir, env: only1 })).stdout)).toEqual({ token: "t0k" });
  });

  it("a missing file left as the template is not created (exit 200)", async () => {
    const s = await setup();
    const r = await cli(["edit", "--age", keys[0]!.recipient, "new.json"], { cwd: s.dir, env: s.editorEnv("none") });
    expect(r.code).toBe(200);
    expect(existsSync(join(s.dir, "new.json"))).toBe(false);
    expect(calls(s.record)[0]!.content).toMatch(/Welcome to sobre/);
  });

  it("a missing file with no rule and no recipients is exit 111", async () => {
    const s = await setup();
    const r = await cli(["edit", "new.json"], { cwd: s.dir, env: s.editorEnv("none") });
    expect(r.code).toBe(111);
  });

  it("--show-master-keys shows the sops block and keeps it", async () => {
    const s = await setup();
    const r = await cli(["edit", "-s", "s.json"], { cwd: s.dir, env: s.editorEnv("replace:alice=>carol") });
    expect(r.code).toBe(0);
    expect(calls(s.record)[0]!.content).toContain(keys[0]!.recipient);
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.env })).stdout).user).toBe("carol");
  });

  it("no FILE is exit 100; an undecryptable file is exit 128", async () => {
    const s = await setup();
    expect((await cli(["edit"], { cwd: s.dir, env: s.editorEnv("none") })).code).toBe(100);
    const noKey = { ...s.editorEnv("none"), SOPS_AGE_KEY: keys[1]!.identity };
    const r = await cli(["edit", "s.json"], { cwd: s.dir, env: noKey });
    expect(r.code).toBe(128);
    expect(calls(s.record)).toHaveLength(0);
  });
});

describe("editor command", () => {
  it("prefers SOPS_EDITOR, then EDITOR, splitting words like a shell", () => {
    expect(editorCommand({ SOPS_EDITOR: "code --wait", EDITOR: "vim" })).toEqual(["code", "--wait"]);
    expect(editorCommand({ EDITOR: `'/opt/my editor/bin/ed' -f "a b"` })).toEqual(["/opt/my editor/bin/ed", "-f", "a b"]);
    expect(splitShellWords(`a\\ b "c\\"d" 'e'`)).toEqual(["a b", 'c"d', "e"]);
  });

  it("falls back to vim, nano, vi on PATH; invalid quoting is exit 201", () => {
    const bin = resolve(ROOT, "test/cli/fixtures");
    expect(() => editorCommand({ PATH: bin })).toThrow(/no editor found/);
    expect(() => editorCommand({ EDITOR: "vim 'unterminated" })).toThrow(expect.objectContaining({ exitCode: 201 }));
  });
});
