import * as nodeCrypto from "node:crypto";
import type { ParsedEnc } from "../crypto/cipher.js";
import { decryptPacked } from "./cipher-batch.js";
import { runEncryptTexts } from "./cipher-encrypt.js";
import { LOCAL_ALLOC, SHARED_ALLOC, plain, packDecrypt } from "./cipher-pack.js";
import { runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";

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
  const n = jobs.length;
  const shared = wantsWorker(n, opts);
  const alloc = shared ? SHARED_ALLOC : LOCAL_ALLOC;
  const { bytes, offs, outOffs, outSize } = packDecrypt(jobs, alloc);
  const out = alloc.bytes(outSize);
  const ok = shared ? new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n) : new Uint8Array(n);
  const [bytesU, outU] = [plain(bytes), plain(out)];
  runChunked(key, n, { kind: "decrypt", bytes, offs, out, outOffs, ok }, shared, (a, b) => decryptPacked(nodeCrypto, key, bytesU, offs, outU, outOffs, ok, a, b), opts);
  return Array.from({ length: n }, (_, i) => (ok[i] ? out.subarray(outOffs[i]!, outOffs[i + 1]!) : undefined));
}
