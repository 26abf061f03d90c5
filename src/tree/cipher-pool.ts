/**
 * Runs one packed cipher batch on the main thread and one worker thread together. The
 * packed inputs and outputs live in SharedArrayBuffers; both threads claim chunks of
 * jobs from a shared counter (`Atomics.add`) until none are left, so the split balances
 * itself: the worker's start-up, a busy core or the main thread's own packing never
 * leave one thread waiting for a fixed share of the other. At the end the main thread
 * waits only for a chunk the worker is still busy with.
 *
 * The worker is started from source text (`eval: true`) built from `cipher-batch.ts`: no
 * file beside the bundle is needed, so it also works inside the single executable. It
 * may be started early (`startCipherWorker`, e.g. before parsing a large file) so its
 * start-up overlaps the parse. Any failure (no worker support, crash, timeout) only
 * means the main thread does the unfinished chunks itself: never wrong, at worst slower.
 * Redoing a chunk the worker also did is harmless: its IVs are fixed in the packed input,
 * so both write the same bytes.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { MessagePort, Worker } from "node:worker_threads";
import { decryptPacked, encryptPacked } from "./cipher-batch.js";
import { decryptRanges } from "./cipher-ranges-batch.js";
import { buildSextetTable, decodeB64 } from "./enc-b64.js";
import { SHARED_ALLOC } from "./cipher-pack.js";

/** Tuning knobs (tests use them to exercise the worker path on small inputs). */
export interface CipherJobOptions {
  /** Batches with at least this many jobs start a worker thread. Default 20 000. */
  parallelMinJobs?: number;
  /**
   * Called every few thousand jobs with the number of jobs done (both threads), and once
   * with `done === total`.
   */
  onProgress?: (done: number, total: number) => void;
  /** A worker started earlier with `startCipherWorker` (used whatever the batch size). */
  worker?: CipherWorker | undefined;
  /**
   * False leaves every chunk to the worker (the main thread only waits and falls back).
   * Encrypt batches use it: each cipher leaves a native OpenSSL context behind until its
   * JS object is collected, and the main thread's young generation (grown to its maximum
   * by the parsed tree) lets tens of thousands pile up (some 15 MB resident for 100k
   * values), where the worker's small one (`WORKER_YOUNG_MB`) frees them as it goes. The
   * main thread also spends less on GC, so the batch is not slower (bench: 100k dotenv).
   */
  mainThreadJoins?: boolean;
  /** Tests: how long to wait for the worker's unfinished chunks before redoing them. */
  workerWaitMs?: number;
  /** Tests: replace the worker program (to simulate crashes). */
  workerProgram?: string;
}

/** Jobs per claimed chunk: small enough that the last one barely delays the other thread. */
export const CHUNK_JOBS = 1024;
/** Below this many values a worker's start-up costs more than it saves (bench/: measured). */
const PARALLEL_MIN_JOBS = 20_000;
/**
 * The worker's young generation (MB): small, so the garbage of each chunk (cipher objects
 * and the native memory they hold) is collected within the chunk instead of piling up.
 * 1 MB rather than 4: some 3 MB less peak RSS for a 100k-value dotenv encrypt (median of
 * 8 runs), the same CPU; decrypt unchanged.
 */
const WORKER_YOUNG_MB = 1;
/** Generous: a busy machine can delay the worker, and the fallback only costs time. */
const WORKER_WAIT_MS = 10_000;

/** A started worker thread waiting for one batch. */
export interface CipherWorker {
  /** Post a batch (`ctl` and `done` are the shared chunk counters); false if it cannot be sent. */
  post(batch: Record<string, unknown>, transfer: ArrayBuffer[]): boolean;
  /** Stop the thread (after its batch, or unused). */
  release(): void;
}

let source: string | undefined;
let threads: typeof import("node:worker_threads") | undefined;

/** `node:worker_threads`, loaded on the first large batch only (start-up time matters). */
function workerThreads(): typeof import("node:worker_threads") {
  threads ??= createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  return threads;
}

/** The worker program: waits for one batch on `port`, claims chunks until none are left. */
function workerSource(): string {
  source ??= [
    `"use strict";`,
    `const { workerData: d } = require("node:worker_threads");`,
    `const crypto = require("node:crypto");`,
    `const encryptPacked = ${encryptPacked.toString()};`,
    `const decryptPacked = ${decryptPacked.toString()};`,
    `const decryptRanges = ${decryptRanges.toString()};`,
    `const decodeB64 = ${decodeB64.toString()};`,
    `const sextets = (${buildSextetTable.toString()})();`,
    `d.port.once("message", (m) => {`,
    `  const ctl = m.ctl, done = m.done;`,
    `  try {`,
    `    for (;;) {`,
    `      const c = Atomics.add(ctl, 0, 1), from = c * m.chunk;`,
    `      if (from >= m.count) break;`,
    `      const to = Math.min(m.count, from + m.chunk);`,
    `      if (m.progressive) for (let r; (r = Atomics.load(ctl, 3)) <= c;) Atomics.wait(ctl, 3, r, 50);`,
    `      if (m.kind === "encrypt") encryptPacked(crypto, m.key, m.bytes, m.offs, m.typeCodes, m.typeNames, m.out, m.encOffs, from, to);`,
    `      else if (m.kind === "decrypt-ranges") decryptRanges(crypto, m.key, m.src, m.bytes, m.offs, m.out, m.outOffs, m.ok, from, to, decodeB64, sextets);`,
    `      else decryptPacked(crypto, m.key, m.bytes, m.offs, m.out, m.outOffs, m.ok, from, to);`,
    `      Atomics.store(done, c, 1);`,
    `      Atomics.add(ctl, 1, to - from);`,
    `    }`,
    `  } catch {}`,
    `  m.key.fill(0);`,
    `  Atomics.store(ctl, 2, 1);`,
    `  Atomics.notify(ctl, 2);`,
    `  d.port.close();`,
    `});`,
  ].join("\n");
  return source;
}

/**
 * Input sizes from which a file very likely has enough values for a worker (about
 * 20 000 values: ENC texts take over 100 bytes each, plaintext values with their keys
 * some 30–50). Starting the worker before parsing overlaps its start-up with the parse;
 * one left unused costs the other core a few ms.
 */
export const EARLY_WORKER_BYTES = { encrypted: 2_000_000, plain: 500_000 } as const;

/**
 * Run `work` with a cipher worker started first when the input (`inputBytes` of `kind`)
 * is large enough to need one, so its start-up overlaps the parse; released afterwards.
 */
export async function withEarlyCipherWorker<T>(inputBytes: number, kind: keyof typeof EARLY_WORKER_BYTES, work: (worker: CipherWorker | undefined) => Promise<T>): Promise<T> {
  const worker = inputBytes >= EARLY_WORKER_BYTES[kind] ? startCipherWorker() : undefined;
  try {
    return await work(worker);
  } finally {
    worker?.release();
  }
}

/** Start a worker thread that will wait for one batch; `undefined` if none can be started. */
export function startCipherWorker(program?: string): CipherWorker | undefined {
  if (availableParallelism() < 2) return undefined;
  let port: MessagePort;
  let worker: Worker;
  try {
    const { MessageChannel, Worker } = workerThreads();
    const channel = new MessageChannel();
    port = channel.port1;
    worker = new Worker(program ?? workerSource(), {
      eval: true,
      workerData: { port: channel.port2 },
      transferList: [channel.port2],
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
  } catch {
    return undefined;
  }
  worker.unref();
  // Never let a late worker error become an uncaught exception in the CLI.
  worker.on("error", () => {});
  let released = false;
  return {
    post(batch, transfer) {
      if (released) return false;
      try {
        port.postMessage(batch, transfer);
        return true;
      } catch {
        return false;
      }
    },
    release() {
      if (released) return;
      released = true;
      port.close();
      void worker.terminate();
    },
  };
}

/** Whether a batch of `n` jobs is worth a worker (its arrays must then be shared). */
export function wantsWorker(n: number, opts: CipherJobOptions | undefined): boolean {
  if (opts?.worker) return n > CHUNK_JOBS || opts.mainThreadJoins === false;
  return n >= 2 && n >= (opts?.parallelMinJobs ?? PARALLEL_MIN_JOBS) && availableParallelism() >= 2;
}

/**
 * Run jobs 0..count: `local(from, to)` on this thread, and the same work on a worker
 * (`batch` holds its inputs, all on shared memory, plus `kind`). Returns when every job
 * is done. `shared` says whether `batch` is on shared memory (`wantsWorker` was true).
 * `meanwhile` runs on this thread once the worker has the batch, before this thread
 * joins in or waits. With `batch.progressive`, `meanwhile` is still filling the batch's
 * inputs: the worker waits for each chunk it claims until `meanwhile` publishes it
 * (`publish(n)`: chunks 0..n are ready; all are once `meanwhile` returns).
 */
export function runChunked(
  key: Uint8Array,
  count: number,
  batch: Record<string, unknown>,
  shared: boolean,
  local: (from: number, to: number) => void,
  opts: CipherJobOptions | undefined,
  meanwhile?: (publish: (chunks: number) => void) => void,
): void {
  const chunks = Math.ceil(count / CHUNK_JOBS);
  const report = opts?.onProgress;
  let worker: CipherWorker | undefined;
  let ctl: Int32Array | undefined;
  let done: Int32Array | undefined;
  if (shared && chunks > 0) {
    worker = opts?.worker ?? startCipherWorker(opts?.workerProgram);
    // [next chunk to claim, jobs done, worker finished, chunks ready (progressive batches)]
    ctl = SHARED_ALLOC.ints(4);
    done = SHARED_ALLOC.ints(chunks);
    // The key goes over in its own small buffer (moved, not shared), zeroed by the worker when done.
    const keyCopy = new Uint8Array(key);
    if (worker && !worker.post({ ...batch, key: keyCopy, ctl, done, count, chunk: CHUNK_JOBS }, [keyCopy.buffer])) {
      worker.release();
      worker = undefined;
    }
  }
  try {
    const publish = (ready: number): void => {
      if (!ctl) return;
      Atomics.store(ctl, 3, ready);
      Atomics.notify(ctl, 3);
    };
    meanwhile?.(publish);
    publish(chunks);
    if (!ctl || !done || !worker) {
      for (let a = 0; a < count; a += CHUNK_JOBS) {
        const b = Math.min(count, a + CHUNK_JOBS);
        local(a, b);
        if (b < count) report?.(b, count);
      }
    } else {
      if (opts?.mainThreadJoins !== false) {
        for (;;) {
          const c = Atomics.add(ctl, 0, 1);
          const a = c * CHUNK_JOBS;
          if (a >= count) break;
          const b = Math.min(count, a + CHUNK_JOBS);
          local(a, b);
          Atomics.store(done, c, 1);
          const total = Atomics.add(ctl, 1, b - a) + b - a;
          if (total < count) report?.(total, count);
        }
      }
      finishLeftovers(ctl, done, count, local, opts?.workerWaitMs ?? WORKER_WAIT_MS, report);
    }
  } finally {
    worker?.release();
  }
  report?.(count, count);
}

/**
 * Wait for chunks the worker claimed, reporting its progress meanwhile; redo whatever it
 * did not finish in time (or never claimed).
 */
function finishLeftovers(ctl: Int32Array, done: Int32Array, count: number, local: (from: number, to: number) => void, waitMs: number, report?: (done: number, total: number) => void): void {
  const deadline = Date.now() + waitMs;
  const allDone = (): boolean => {
    for (let c = 0; c < done.length; c++) if (Atomics.load(done, c) === 0) return false;
    return true;
  };
  let reported = 0;
  while (!allDone() && Atomics.load(ctl, 2) === 0 && Date.now() < deadline) {
    Atomics.wait(ctl, 2, 0, 20);
    const total = Atomics.load(ctl, 1);
    if (report && total > reported && total < count) report((reported = total), count);
  }
  for (let c = 0; c < done.length; c++) {
    if (Atomics.load(done, c) === 1) continue;
    local(c * CHUNK_JOBS, Math.min(count, (c + 1) * CHUNK_JOBS));
    done[c] = 1;
  }
}
