import { availableParallelism } from "node:os";
import * as nodeCrypto from "node:crypto";
import type { ParsedEnc } from "../crypto/cipher.js";
import { decryptDirect, encryptPacked } from "./cipher-batch.js";
import { packDecrypt, packEncrypt } from "./cipher-pack.js";
import { startDecryptWorker, startEncryptWorker } from "./cipher-worker.js";

export { IvMemory } from "./iv-memory.js";

/**
 * Batched value crypto. The walkers collect jobs first and run them here in one loop
 * (`cipher-batch.ts`, OpenSSL AES-256-GCM through `node:crypto`). Large batches are split
 * between the main thread and one worker thread (a second core); small ones never pay
 * the worker's start-up (~30 ms).
 */
export interface EncryptJob {
  /** Bytes, or text encrypted as its UTF-8 bytes (no Uint8Array per value). */
  plaintext: Uint8Array | string;
  aad: string;
  type: string;
  /** Set when an identical (aad, type, plaintext) was decrypted earlier in this run. */
  reuseIv?: Uint8Array | undefined;
}

export interface DecryptJob {
  parsed: ParsedEnc;
  aad: string;
}

/** Tuning knobs (tests use them to exercise the worker path on small inputs). */
export interface CipherJobOptions {
  /** Batches with at least this many jobs use a worker thread. Default 20 000. */
  parallelMinJobs?: number;
  /**
   * Called every few thousand jobs with an estimate of the jobs done (the worker's
   * progress is assumed to match the main thread's), and once with `done === total`.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Jobs between two progress reports. */
const PROGRESS_CHUNK = 4096;

/** Run `work(from, to)` over `from`..`to` in chunks, reporting progress between them. */
function chunked(from: number, to: number, total: number, shareOfOthers: number, opts: CipherJobOptions | undefined, work: (a: number, b: number) => void): void {
  const report = opts?.onProgress;
  if (!report) return work(from, to);
  const scale = (to - from + shareOfOthers) / Math.max(1, to - from);
  for (let a = from; a < to; a += PROGRESS_CHUNK) {
    const b = Math.min(to, a + PROGRESS_CHUNK);
    work(a, b);
    report(Math.min(total - 1, Math.floor((b - from) * scale)), total);
  }
}

/** Below this many values a worker's start-up costs more than it saves (bench/: measured). */
const PARALLEL_MIN_JOBS = 20_000;
/** Jobs the main thread does on top of its half, while the worker starts. */
const MAIN_HEAD_START = 1_500;

/** How many of `n` jobs go to the worker (0 = run everything here). */
function workerShare(n: number, opts: CipherJobOptions | undefined): number {
  if (n < 2 || n < (opts?.parallelMinJobs ?? PARALLEL_MIN_JOBS) || availableParallelism() < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.floor((n - MAIN_HEAD_START) / 2)));
}

/** Encrypt every job; returns the `ENC[…]` strings in job order. */
export function runEncryptJobs(key: Uint8Array, jobs: readonly EncryptJob[], opts?: CipherJobOptions): string[] {
  const n = jobs.length;
  const k = workerShare(n, opts);
  const pending = k > 0 ? startEncryptWorker(key, packEncrypt(jobs, 0, k)) : undefined;
  const from = pending ? k : 0;
  const mine = packEncrypt(jobs, from, n);
  let tail: string[] = [];
  chunked(0, mine.count, n, pending ? k : 0, opts, (a, b) => {
    const part = encryptPacked(nodeCrypto, key, mine.bytes, mine.offs, mine.ivs, mine.ivOffs, mine.types, a, b);
    if (a === 0) tail = part;
    else for (const text of part) tail.push(text);
  });
  mine.bytes.fill(0);
  if (!pending) {
    opts?.onProgress?.(n, n);
    return tail;
  }
  // The worker's buffers were moved to it: on failure, pack its share again here.
  let head = pending.collect();
  if (!head || head.length !== k) {
    const again = packEncrypt(jobs, 0, k);
    head = encryptPacked(nodeCrypto, key, again.bytes, again.offs, again.ivs, again.ivOffs, again.types, 0, k);
    again.bytes.fill(0);
  }
  opts?.onProgress?.(n, n);
  return head.concat(tail);
}

/**
 * Decrypt every job. Returns plaintexts (some may be views into one shared buffer:
 * callers that keep bytes must copy them), or `undefined` where authentication failed.
 */
export function runDecryptJobs(key: Uint8Array, jobs: readonly DecryptJob[], opts?: CipherJobOptions): (Buffer | undefined)[] {
  const n = jobs.length;
  const k = workerShare(n, opts);
  const headPacked = k > 0 ? packDecrypt(jobs, 0, k) : undefined;
  const headOffs = headPacked?.outOffs;
  const pending = headPacked ? startDecryptWorker(key, headPacked) : undefined;
  const from = pending ? k : 0;
  const result = new Array<Buffer | undefined>(n);
  chunked(from, n, n, pending ? k : 0, opts, (a, b) => decryptDirect(nodeCrypto, key, jobs, result, a, b));
  if (pending) {
    const head = pending.collect();
    if (!head || head.ok.length !== k) decryptDirect(nodeCrypto, key, jobs, result, 0, k);
    else for (let i = 0; i < k; i++) result[i] = head.ok[i] ? head.out.subarray(headOffs![i]!, headOffs![i + 1]!) : undefined;
  }
  opts?.onProgress?.(n, n);
  return result;
}
