/**
 * A reader that stops early (`sobre decrypt big.yaml | head -1`) must not make sobre
 * print a stack trace: the rest of the output is dropped quietly.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDocument } from "../../bench/lib/generate.mjs";
import { sobre, TEST_KEY_FILE, TEST_RECIPIENT } from "../helpers/cli.js";
import { hermeticEnv } from "../helpers/key-env.js";
import { sobreArgv } from "../helpers/sobre-exec.js";

let dir: string;
let encrypted: string;
const env = hermeticEnv({ SOPS_AGE_KEY_FILE: TEST_KEY_FILE });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sobre-epipe-"));
  const plain = join(dir, "big.yaml");
  // Far more than a pipe's buffer (64 KiB), so writes are still going when the reader leaves.
  writeFileSync(plain, generateDocument("yaml", 20_000));
  const enc = sobre(["encrypt", "--age", TEST_RECIPIENT, plain], { env });
  expect(enc.status).toBe(0);
  encrypted = join(dir, "big.enc.yaml");
  writeFileSync(encrypted, enc.stdout);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("stdout closed by the reader", () => {
  it("decrypt stops quietly: no stack trace, no error line", async () => {
    const [file, argv] = sobreArgv(["decrypt", encrypted]);
    const child = spawn(file, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<Buffer>((done) => child.stdout.once("data", done));
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(first.toString()).toContain("sobre benchmark document");
    expect(stderr).not.toMatch(/EPIPE|at .*:\d+:\d+|Error/);
    expect(code).toBe(0);
  }, 30_000);
});
