import { decryptParsed, encryptValue, type ParsedEnc } from "../crypto/cipher.js";

/**
 * Batched value crypto. The walkers collect jobs first and run them here in one loop,
 * so a large file's AES-GCM work sits in one place that can be parallelised later.
 */
export interface EncryptJob {
  plaintext: Uint8Array;
  aad: string;
  type: string;
  /** Set when an identical (aad, type, plaintext) was decrypted earlier in this run. */
  reuseIv?: Uint8Array;
}

export function runEncryptJobs(key: Uint8Array, jobs: readonly EncryptJob[]): string[] {
  const out = new Array<string>(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    out[i] = encryptValue(key, job.plaintext, job.aad, job.type, job.reuseIv);
  }
  return out;
}

export interface DecryptJob {
  parsed: ParsedEnc;
  aad: string;
}

/** Returns plaintexts, or `undefined` at indices whose authentication failed. */
export function runDecryptJobs(key: Uint8Array, jobs: readonly DecryptJob[]): (Buffer | undefined)[] {
  const out = new Array<Buffer | undefined>(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    try {
      out[i] = decryptParsed(key, job.parsed, job.aad);
    } catch {
      out[i] = undefined;
    }
  }
  return out;
}

/**
 * Remembers the IV of every value decrypted in this run, keyed by (aad, type, plaintext),
 * so re-encrypting an unchanged value under the same data key reproduces its exact
 * ciphertext (minimal diffs). Same key + IV + AAD + plaintext is the same GCM invocation
 * as before, so no nonce is ever used for two different messages.
 */
export class IvMemory {
  private readonly ivs = new Map<string, Uint8Array>();

  private static keyOf(aad: string, type: string, plaintext: Uint8Array): string {
    return `${aad}\u0000${type}\u0000${Buffer.from(plaintext).toString("latin1")}`;
  }

  remember(aad: string, type: string, plaintext: Uint8Array, iv: Uint8Array): void {
    this.ivs.set(IvMemory.keyOf(aad, type, plaintext), iv);
  }

  recall(aad: string, type: string, plaintext: Uint8Array): Uint8Array | undefined {
    return this.ivs.get(IvMemory.keyOf(aad, type, plaintext));
  }

  get size(): number {
    return this.ivs.size;
  }
}
