/** Spawning sops/sobre/gpg for the interop suite: async, bounded, output as bytes. */
import { runProcess } from "../helpers/sobre-exec.js";
import { SOBRE_BIN, SOPS_BIN } from "./peers.js";

export interface Result {
  code: number;
  stdout: Buffer;
  stderr: string;
  /** `sops`/`sobre` + args, for failure messages. */
  command: string;
}

export interface RunOptions {
  env: Record<string, string>;
  cwd: string;
  input?: string | Uint8Array;
  timeoutMs?: number;
}

// Two cores: more than a few concurrent processes only adds contention.
const MAX_CONCURRENT = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Run a program to completion (never rejects on a non-zero exit). */
export async function exec(bin: string, args: readonly string[], opts: RunOptions): Promise<Result> {
  const result = await slot(() => runProcess(bin, args, opts));
  return { ...result, command: `${bin} ${args.join(" ")}` };
}

export const sops = (args: readonly string[], opts: RunOptions): Promise<Result> => exec(SOPS_BIN, args, opts);
export const sobre = (args: readonly string[], opts: RunOptions): Promise<Result> => exec(process.execPath, [SOBRE_BIN, ...args], opts);

/** Throw with the command and its stderr unless it exited 0; returns stdout. */
export function ok(r: Result): Buffer {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.command.split("/").pop()}\n${r.stderr.slice(0, 2000)}`);
  return r.stdout;
}
