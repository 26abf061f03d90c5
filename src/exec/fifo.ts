import { spawnSync } from "node:child_process";
import { chownSync, constants, readdirSync, readlinkSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { ExecError } from "../errors.js";

/** Create a 0600 FIFO with mkfifo(1) (Node has no mkfifo binding). */
export function createFifo(path: string, owner?: { uid: number; gid: number }): void {
  const result = spawnSync("mkfifo", ["-m", "600", path], { stdio: ["ignore", "ignore", "pipe"] });
  if (result.error || result.status !== 0) {
    throw new ExecError(`cannot create a FIFO for the decrypted file (${result.error ? (result.error as NodeJS.ErrnoException).code : `mkfifo exited ${result.status}`})`, {
      hint: "install coreutils' mkfifo, or use --no-fifo",
      cause: result.error,
    });
  }
  if (owner) chownSync(path, owner.uid, owner.gid);
}

/** Serves a plaintext through a FIFO to every reader that opens it, until stopped. */
export interface FifoServer {
  /** How many times a reader received the whole plaintext. */
  readonly reads: number;
  /** Stop serving: unblocks a pending open, drains a stuck write, resolves when idle. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Write `data` into the FIFO each time a reader opens it. After each read we close our
 * end (the reader sees EOF) and wait until that reader has closed the FIFO before
 * opening it again: reopening while it still has it open would append a second copy
 * to the same pipe. Linux: we watch `/proc/<pid>/fd`; elsewhere the FIFO is served once
 * (what SOPS does).
 */
export function serveFifo(path: string, data: Uint8Array): FifoServer {
  let stopped = false;
  let reads = 0;
  const isStopped = (): boolean => stopped;
  const loop = (async () => {
    while (!stopped) {
      let fh: FileHandle;
      try {
        // Blocks (in a libuv worker) until a reader opens the FIFO; stop() unblocks it.
        fh = await open(path, constants.O_WRONLY);
      } catch {
        return; // FIFO removed or unusable: nothing left to serve
      }
      try {
        if (stopped) return;
        await writeAll(fh, data);
        reads++;
      } catch {
        // EPIPE: the reader went away early; it may open again
      } finally {
        await fh.close().catch(() => {});
      }
      if (!(await waitForReadersGone(path, isStopped))) return;
    }
  })();

  return {
    get reads() {
      return reads;
    },
    stop: async () => {
      if (stopped) return loop;
      stopped = true;
      // Become a reader ourselves: a pending open(O_WRONLY) returns, a blocked write
      // drains into our buffer (we discard it), and the loop sees `stopped`.
      let reader: FileHandle | undefined;
      try {
        reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        reader = undefined;
      }
      let done = false;
      void loop.finally(() => (done = true));
      const scratch = Buffer.alloc(65536);
      while (!done && reader) {
        try {
          const { bytesRead } = await reader.read(scratch, 0, scratch.length, null);
          if (bytesRead === 0) await sleep(2);
        } catch {
          await sleep(2); // EAGAIN: nothing buffered yet
        }
      }
      scratch.fill(0);
      await loop;
      await reader?.close().catch(() => {});
    },
  };
}

async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await fh.write(data, offset, data.length - offset, null);
    offset += bytesWritten;
  }
}

/**
 * Wait until no process has `path` open. Returns false when the FIFO must not be served
 * again (stopped, or no /proc to watch).
 */
async function waitForReadersGone(path: string, isStopped: () => boolean): Promise<boolean> {
  let holders = fdLinksHolding(path);
  if (holders === undefined) return false;
  let delay = 1;
  while (holders.length > 0) {
    if (isStopped()) return false;
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
    holders = holders.filter((link) => readlinkOr(link) === path);
  }
  return !isStopped();
}

/** Every `/proc/<pid>/fd/<n>` that points at `path`; undefined without /proc. */
function fdLinksHolding(path: string): string[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return undefined;
  }
  const out: string[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process (it cannot read our 0700 dir anyway)
    }
    for (const fd of fds) {
      const link = `/proc/${pid}/fd/${fd}`;
      if (readlinkOr(link) === path) out.push(link);
    }
  }
  return out;
}

function readlinkOr(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}
