/**
 * How end-to-end tests start sobre. `SOBRE_BIN` picks the executable: a single binary
 * (`SOBRE_BIN=dist/sobre npx vitest run test/e2e`) or another `.js` entry; the default
 * is `bin/sobre.js` run by the current Node.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { BIN, ROOT } from "./paths.js";

/** The sobre executable under test (absolute path). */
export const SOBRE_EXECUTABLE = process.env["SOBRE_BIN"] ? resolve(ROOT, process.env["SOBRE_BIN"]) : BIN;

/** `[file, args]` to spawn `sobre …args` with `executable` (default: `SOBRE_EXECUTABLE`). */
export function sobreArgv(args: readonly string[], executable = SOBRE_EXECUTABLE): [string, string[]] {
  return /\.[cm]?js$/.test(executable) ? [process.execPath, [executable, ...args]] : [executable, [...args]];
}

export interface SobreResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface SobreRunOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  input?: string | Uint8Array;
  executable?: string;
  timeoutMs?: number;
}

/**
 * Run sobre to completion without blocking the event loop (tests may serve fake KMS
 * endpoints in-process). Never rejects on a non-zero exit.
 */
export function runSobre(args: readonly string[], opts: SobreRunOptions): Promise<SobreResult> {
  const [file, argv] = sobreArgv(args, opts.executable);
  return runProcess(file, argv, opts);
}

/**
 * Run any program to completion, output as bytes, stdin from `input`; killed after
 * `timeoutMs` (status 137). Never rejects on a non-zero exit.
 */
export function runProcess(file: string, argv: readonly string[], opts: Omit<SobreRunOptions, "executable">): Promise<SobreResult> {
  return new Promise((done, fail) => {
    const child = spawn(file, argv, { env: opts.env as NodeJS.ProcessEnv, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 137 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

/** A hermetic environment for a spawned sobre: PATH and `extra` only, HOME = `home`. */
export function hermeticEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, XDG_CONFIG_HOME: `${home}/.config`, LANG: "C.UTF-8", ...extra };
}
