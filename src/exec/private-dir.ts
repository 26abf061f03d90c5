import { chmodSync, chownSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { ExecError } from "../errors.js";

/** statfs(2) magic numbers of memory-backed filesystems (linux/magic.h). */
const MEMORY_FS_TYPES = new Set([0x01021994 /* tmpfs */, 0x858458f6 /* ramfs */]);

/** Is `path` on tmpfs/ramfs? False when it cannot be checked (not Linux, missing path). */
export function isMemoryBacked(path: string): boolean {
  try {
    return MEMORY_FS_TYPES.has(Number(statfsSync(path).type));
  } catch {
    return false;
  }
}

/** A 0700 directory that holds one plaintext for one child's lifetime. */
export interface PrivateDir {
  /** Real path (symlinks resolved), so `/proc/<pid>/fd` links compare equal. */
  readonly path: string;
  readonly memoryBacked: boolean;
  /** Remove the directory and everything in it; idempotent, never throws. */
  remove(): void;
}

export interface PrivateDirOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `--tmpdir`: the user explicitly accepts this parent, memory-backed or not. */
  parent?: string;
  /** Hand the directory to this user (`--user`), so a dropped-privilege child can read it. */
  owner?: { uid: number; gid: number };
}

/**
 * Memory-backed parents in order of preference: the per-user runtime dir (tmpfs on
 * systemd systems, private to the user), then /dev/shm. Plaintext must never reach a
 * persistent disk unless the user names the directory.
 */
export function memoryBackedCandidates(env: Readonly<Record<string, string | undefined>>, forOtherUser = false): string[] {
  const out: string[] = [];
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime) out.push(runtime);
  out.push("/dev/shm");
  // A child running as another user (--user) must be able to traverse the parent:
  // our own runtime dir is 0700, /dev/shm is 1777.
  return out.filter((dir) => isDir(dir, forOtherUser) && isMemoryBacked(dir));
}

function isDir(dir: string, othersTraverse: boolean): boolean {
  try {
    const st = statSync(dir);
    return st.isDirectory() && (!othersTraverse || (st.mode & 0o001) !== 0);
  } catch {
    return false;
  }
}

/** Create the private directory, or refuse when no memory-backed filesystem exists. */
export function createPrivateDir(opts: PrivateDirOptions): PrivateDir {
  let parent = opts.parent;
  if (parent === undefined) {
    parent = memoryBackedCandidates(opts.env, !!opts.owner && opts.owner.uid !== process.getuid?.())[0];
    if (parent === undefined) {
      throw new ExecError("no memory-backed filesystem (tmpfs) found for the decrypted file", {
        hint: "use the default FIFO mode, or name a directory you trust with --tmpdir DIR (the plaintext is written there)",
      });
    }
  }
  sweepStale(parent);
  let path: string;
  try {
    path = realpathSync(mkdtempSync(join(parent, `.sobre-${process.pid}-`)));
    chmodSync(path, 0o700);
    if (opts.owner) chownSync(path, opts.owner.uid, opts.owner.gid);
  } catch (err) {
    throw new ExecError(`${parent}: cannot create a private directory (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
      hint: "check the directory's permissions or pass --tmpdir DIR",
      cause: err,
    });
  }
  let removed = false;
  return {
    path,
    memoryBacked: isMemoryBacked(path),
    remove: () => {
      if (removed) return;
      removed = true;
      try {
        rmSync(path, { recursive: true, force: true });
      } catch {
        // best effort: nothing more can be done here, and the caller is already exiting
      }
    },
  };
}

/**
 * Remove private directories left behind by a sobre that was SIGKILLed (the only way
 * its cleanup can be skipped): ours by uid, named after a process that no longer exists.
 */
export function sweepStale(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^\.sobre-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    const path = join(parent, name);
    try {
      if (uid !== undefined && statSync(path).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
    } catch {
      // not ours to remove, or already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
