import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/paths.js";
import { cli, makeAgeKeys, project, put, type AgeKey } from "../operations/lifecycle-helpers.js";

const FAKE_EDITOR = resolve(ROOT, "test/cli/fixtures/fake-editor.mjs");
const BUILT = existsSync(resolve(ROOT, "dist/main.js"));

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(1);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start `sobre edit` with an editor that sleeps, send `signal`, and report what is left. */
async function interruptEdit(signal: NodeJS.Signals) {
  const { dir, env } = project(keys);
  put(dir, "s.json", '{"password": "hunter2"}');
  expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "s.json"], { cwd: dir, env })).code).toBe(0);
  const before = readFileSync(join(dir, "s.json"));
  const record = join(dir, "calls.jsonl");
  const child = spawn(process.execPath, [BIN, "edit", "s.json"], {
    cwd: dir,
    env: { ...env, SOPS_EDITOR: `${process.execPath} ${FAKE_EDITOR}`, FAKE_EDITOR_RECORD: record, FAKE_EDITOR_ACTIONS: "sleep" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await waitFor(() => existsSync(record) && readFileSync(record, "utf8").includes("\n"), "the editor to start");
  const call = JSON.parse(readFileSync(record, "utf8").split("\n")[0]!) as { pid: number; path: string };
  expect(existsSync(call.path)).toBe(true);
  child.kill(signal);
  const code = await exited;
  return { code, stderr, call, before, after: readFileSync(join(dir, "s.json")) };
}

describe(BUILT ? "sobre edit interrupted" : "sobre edit interrupted (skipped: dist/main.js missing, run `npm run build`)", () => {
  it.skipIf(!BUILT)("SIGINT: temp file and directory removed, original intact, editor gone, exit 85", async () => {
    const r = await interruptEdit("SIGINT");
    expect(r.code).toBe(85);
    expect(r.stderr).toMatch(/interrupted by SIGINT/);
    expect(existsSync(r.call.path)).toBe(false);
    expect(existsSync(join(r.call.path, ".."))).toBe(false);
    expect(r.after).toEqual(r.before);
    await waitFor(() => !alive(r.call.pid), "the editor to exit", 5000);
  });

  it.skipIf(!BUILT)("SIGTERM: same cleanup, exit 143", async () => {
    const r = await interruptEdit("SIGTERM");
    expect(r.code).toBe(143);
    expect(existsSync(r.call.path)).toBe(false);
    expect(existsSync(join(r.call.path, ".."))).toBe(false);
    expect(r.after).toEqual(r.before);
    await waitFor(() => !alive(r.call.pid), "the editor to exit", 5000);
  });
});
