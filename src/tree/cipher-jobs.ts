import type { ParsedEnc } from "../crypto/cipher.js";
import { runEncryptTexts } from "./cipher-encrypt.js";
import { LOCAL_ALLOC, SHARED_ALLOC, packDecrypt } from "./cipher-pack.js";
import { wantsWorker, type CipherJobOptions } from "./cipher-pool.js";
import { runPreparedDecrypt } from "./cipher-texts.js";

export { IvMemory } from "./iv-memory.js";
export type { CipherJobOptions } from "./cipher-pool.js";

/**
 * Batched value crypto over job objects (tests and benchmarks; the tree walkers use the
 * parallel-array forms in `cipher-encrypt.ts` and `cipher-texts.ts`). OpenSSL
 * AES-256-GCM through `node:crypto`; large batches share the work with a worker thread
 * (`cipher-pool.ts`), small ones never pay its start-up.
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

/** Encrypt every job; returns the `ENC[…]` strings in job order. */
export function runEncryptJobs(key: Uint8Array, jobs: readonly EncryptJob[], opts?: CipherJobOptions): string[] {
  const texts = runEncryptTexts(
    key,
    { plaintexts: jobs.map((j) => j.plaintext), aads: jobs.map((j) => j.aad), types: jobs.map((j) => j.type), reuseIvs: jobs.map((j) => j.reuseIv) },
    opts,
  );
  return Array.from({ length: jobs.length }, (_, i) => texts.text(i));
}

/**
 * Decrypt every job. Returns plaintexts (views into one shared buffer: callers that
 * keep bytes must copy them), or `undefined` where authentication failed.
 */
export function runDecryptJobs(key: Uint8Array, jobs: readonly DecryptJob[], opts?: CipherJobOptions): (Buffer | undefined)[] {
  const shared = wantsWorker(jobs.length, opts);
  const packed = packDecrypt(jobs, shared ? SHARED_ALLOC : LOCAL_ALLOC);
  const plain = runPreparedDecrypt(key, { types: [], packed, shared }, opts);
  return Array.from({ length: jobs.length }, (_, i) => (plain.ok(i) ? plain.buffer(i).subarray(plain.start(i), plain.end(i)) : undefined));
}
