import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { EXIT, ExitError } from "../errors.js";

export interface ReadInputOptions {
  /**
   * A regular file of at least this many bytes is read into shared memory, so a cipher
   * worker thread can read its ENC texts in place (`tree/cipher-ranges-pack.ts`).
   */
  sharedFrom?: number;
}

/** Read a whole input file; a missing file is SOPS's exit 100. */
export function readInputFile(path: string, opts?: ReadInputOptions): Uint8Array {
  if (!existsSync(path)) {
    throw new ExitError(EXIT.NoFileSpecified, `${path}: no such file`, { hint: "check the path; to create a new encrypted file use `sobre edit`" });
  }
  try {
    return (opts?.sharedFrom !== undefined ? readShared(path, opts.sharedFrom) : undefined) ?? readFileSync(path);
  } catch (err) {
    throw new ExitError(EXIT.CouldNotReadInputFile, `${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
      hint: "check the file's permissions",
    });
  }
}

/**
 * A regular file of at least `min` bytes read into a Buffer over a SharedArrayBuffer;
 * `undefined` for anything else, or a file whose size changed while read (then it is
 * read the usual way).
 */
function readShared(path: string, min: number): Buffer | undefined {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < min || st.size > 0x7fffffff) return undefined;
    const buf = Buffer.from(new SharedArrayBuffer(st.size));
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) return undefined;
      n += got;
    }
    return readSync(fd, Buffer.alloc(1), 0, 1, null) === 0 ? buf : undefined;
  } finally {
    closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode. */
  mode?: number;
}

/**
 * Replace `path` atomically: write a temp file in the same directory, fsync it, rename
 * it over the target, fsync the directory. A crash leaves either the old or the new
 * file, never a partial one; on error the original is untouched and the temp removed.
 */
export function writeFileAtomic(path: string, data: Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  let mode = opts.mode ?? 0o644;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    // new file: use the requested mode
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.sobre-tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", mode);
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new ExitError(EXIT.CouldNotWriteOutputFile, `${path}: could not write file (${code}); the original is unchanged`, {
      hint: code === "ENOSPC" ? "free some disk space and retry" : "check the directory's permissions",
    });
  }
  try {
    const dfd = openSync(dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // some filesystems cannot fsync directories; the rename is still atomic
  }
}
