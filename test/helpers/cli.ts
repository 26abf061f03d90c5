import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BIN, ROOT } from "./paths.js";
import { hermeticEnv } from "./key-env.js";

/** The executable under test: `bin/sobre.js`, or a built binary via SOBRE_BIN (relative to the project root). */
export const SOBRE = process.env["SOBRE_BIN"] ? resolve(ROOT, process.env["SOBRE_BIN"]) : BIN;

export const TEST_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
export const TEST_RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(TEST_KEY_FILE, "utf8"))![0];

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  raw: Buffer;
}

/** Run the CLI in a hermetic environment (temp HOME, no SOPS_/cloud variables). */
export function sobre(args: readonly string[], opts: { env?: Record<string, string>; cwd?: string; input?: string | Buffer } = {}): CliResult {
  const cmd = SOBRE.endsWith(".js") ? process.execPath : SOBRE;
  const argv = SOBRE.endsWith(".js") ? [SOBRE, ...args] : [...args];
  const r = spawnSync(cmd, argv, { env: { ...hermeticEnv(), ...opts.env }, cwd: opts.cwd ?? ROOT, input: opts.input, maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8"), raw: r.stdout };
}
