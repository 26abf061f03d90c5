/**
 * Batch encryption to `ENC[…]` texts: the inputs are packed once (parallel arrays in, no
 * object per value), both threads write ASCII ENC texts into one output buffer
 * (`cipher-pool.ts`), and the texts become strings with a single decode; each value's
 * string is then a slice of it. Per value that leaves one small string behind instead
 * of a tree of concatenated pieces, which is what the garbage collector copies.
 */
import * as nodeCrypto from "node:crypto";
import { encryptPacked } from "./cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, packEncrypt, plain, type EncryptInputs } from "./cipher-pack.js";
import { runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";

/** The ENC texts of a batch, in job order. */
export class EncryptedTexts {
  constructor(
    private readonly all: string,
    private readonly offs: Int32Array,
  ) {}

  get length(): number {
    return this.offs.length - 1;
  }
  /** ENC text of job `i`. */
  text(i: number): string {
    return this.all.slice(this.offs[i]!, this.offs[i + 1]!);
  }
}

/** Encrypt every job; texts come back in job order. */
export function runEncryptTexts(key: Uint8Array, input: EncryptInputs, opts?: CipherJobOptions): EncryptedTexts {
  const count = input.plaintexts.length;
  const shared = wantsWorker(count, opts);
  const packed = packEncrypt(input, shared ? SHARED_ALLOC : LOCAL_ALLOC);
  const { bytes, offs, ivs, ivOffs, typeCodes, typeNames, encOffs } = packed;
  const size = encOffs[count]!;
  const out = (shared ? SHARED_ALLOC : LOCAL_ALLOC).bytes(size);
  const [bytesU, ivsU, outU] = [plain(bytes), plain(ivs), plain(out)];
  try {
    runChunked(key, count, { kind: "encrypt", bytes, offs, ivs, ivOffs, typeCodes, typeNames, out, encOffs }, shared, (a, b) => encryptPacked(nodeCrypto, key, bytesU, offs, ivsU, ivOffs, typeCodes, typeNames, outU, encOffs, a, b), opts);
  } finally {
    bytes.fill(0);
  }
  return new EncryptedTexts(out.toString("latin1", 0, size), encOffs);
}
