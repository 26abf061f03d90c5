import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { generateIdentity } from "../../src/keys/age/keygen.js";
import { openEncryptedFile } from "../../src/operations/open-file.js";
import { sealFile } from "../../src/operations/seal-file.js";
import type { FormatName } from "../../src/formats/types.js";
import { testKeyContext } from "../fakes/key-context.js";
import { hermeticEnv } from "../helpers/key-env.js";

export interface AgeKey {
  identity: string;
  recipient: string;
}

/** Fresh TEST-ONLY age identities. */
export async function makeAgeKeys(n: number): Promise<AgeKey[]> {
  const out: AgeKey[] = [];
  for (let i = 0; i < n; i++) out.push(await generateIdentity());
  return out;
}

export interface FakeIO extends CliIO {
  stdout(): string;
  stdoutBytes(): Buffer;
  stderr(): string;
}

/** A CliIO that records output; stdin is `stdin` (not a TTY unless asked). */
export function fakeIO(opts: { cwd: string; env: Record<string, string | undefined>; stdin?: string | Uint8Array; stdinIsTTY?: boolean }): FakeIO {
  const out: Buffer[] = [];
  let err = "";
  return {
    readStdin: async () => Buffer.from(opts.stdin ?? ""),
    writeStdout: (d) => void out.push(Buffer.from(d)),
    writeStderr: (t) => void (err += t),
    env: opts.env,
    cwd: opts.cwd,
    stdinIsTTY: opts.stdinIsTTY ?? false,
    stderrIsTTY: false,
    stdout: () => Buffer.concat(out).toString("utf8"),
    stdoutBytes: () => Buffer.concat(out),
    stderr: () => err,
  };
}

/** A temp project directory with a hermetic environment that can decrypt with `keys`. */
export function project(keys: readonly AgeKey[] = [], extra: Record<string, string> = {}): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "sobre-proj-"));
  const env = hermeticEnv({ ...(keys.length > 0 ? { SOPS_AGE_KEY: keys.map((k) => k.identity).join("\n") } : {}), ...extra });
  return { dir, env };
}

/** Run the CLI in-process; returns exit code and captured output. */
export async function cli(argv: string[], opts: { cwd: string; env: Record<string, string | undefined>; stdin?: string; stdinIsTTY?: boolean }): Promise<{ code: number; stdout: string; stderr: string; io: FakeIO }> {
  const io = fakeIO(opts);
  const code = await run(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr(), io };
}

/** Write a file in `dir`. */
export function put(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/**
 * Re-seal an encrypted file with an old `lastmodified` (same values, same ciphertext), so
 * a command under test visibly changes it without the test sleeping a second.
 */
export async function backdate(path: string, format: FormatName, keys: readonly AgeKey[]): Promise<void> {
  const keyContext = testKeyContext({ SOPS_AGE_KEY: keys.map((k) => k.identity).join("\n") });
  const opened = await openEncryptedFile({ input: readFileSync(path), file: path, format, keyContext });
  writeFileSync(path, sealFile({ ...opened, file: path, now: new Date("2020-01-01T00:00:00Z") }));
}
