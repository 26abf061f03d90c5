import { writeFileSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecError } from "../errors.js";
import { createFifo, serveFifo, type FifoServer } from "./fifo.js";
import { createPrivateDir, memoryBackedCandidates, type PrivateDir } from "./private-dir.js";
import { holdSignals, runChild, type ChildStatus, type SignalMode } from "./run-child.js";

/** SOPS's default name for the temporary file. */
export const FALLBACK_FILENAME = "tmp-file";

export interface WithFileOptions {
  plaintext: Uint8Array;
  /** Shell command; every `{}` is replaced by the file's path. */
  command: string;
  env: Record<string, string>;
  /** FIFO (default) or a 0600 regular file. */
  fifo: boolean;
  filename?: string;
  /** `--tmpdir`: explicit parent directory (may be on disk: the user chose it). */
  parent?: string;
  owner?: { uid: number; gid: number };
  mode?: SignalMode;
  warn: (message: string) => void;
}

/** A safe single path component for `--filename`. */
export function checkFilename(name: string): string {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new ExecError(`--filename must be a plain file name, got ${JSON.stringify(name)}`, { hint: "e.g. --filename secrets.yaml" });
  }
  return name;
}

/**
 * Run `command` with the plaintext available at a private path only for the child's
 * lifetime. The directory is removed on every path out: normal exit, child crash,
 * signals (forwarded, then we wait), spawn failure, or a thrown error. A last-resort
 * `exit` hook covers an uncaught exception elsewhere; only SIGKILL can leave it behind.
 */
export async function execWithFile(opts: WithFileOptions): Promise<ChildStatus> {
  const name = checkFilename(opts.filename ?? FALLBACK_FILENAME);
  let dir: PrivateDir | undefined;
  let server: FifoServer | undefined;
  const onExit = (): void => dir?.remove();
  process.once("exit", onExit);
  const hold = holdSignals();
  try {
    // A FIFO holds no data at rest, so it may live on disk when no tmpfs exists.
    const parent = opts.parent ?? (opts.fifo && memoryBackedCandidates(opts.env, !!opts.owner).length === 0 ? tmpdir() : undefined);
    dir = createPrivateDir({ env: opts.env, ...(parent !== undefined ? { parent } : {}), ...(opts.owner ? { owner: opts.owner } : {}) });
    if (!dir.memoryBacked && !opts.fifo) opts.warn(`${dir.path} is not memory-backed: the plaintext is on disk until the command exits`);
    const path = join(dir.path, name);
    if (opts.fifo) {
      createFifo(path, opts.owner);
      server = serveFifo(path, opts.plaintext);
    } else {
      writeFileSync(path, opts.plaintext, { mode: 0o600, flag: "wx" });
      if (opts.owner) chownSync(path, opts.owner.uid, opts.owner.gid);
    }
    // A signal that arrived while we prepared the file: do not start the command at all.
    if (hold.received.length > 0) return { code: null, signal: hold.received[0]!, received: [...hold.received] };
    return await runChild({
      command: opts.command.replaceAll("{}", path),
      env: opts.env,
      ...(opts.owner ? { uid: opts.owner.uid, gid: opts.owner.gid } : {}),
      ...(opts.mode ? { mode: opts.mode } : {}),
    });
  } finally {
    await server?.stop();
    dir?.remove();
    process.removeListener("exit", onExit);
    hold.release();
  }
}
