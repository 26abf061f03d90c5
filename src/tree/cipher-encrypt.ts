/**
 * Batch encryption to `ENC[…]` texts: the inputs are packed once (parallel arrays in, no
 * object per value), both threads write ASCII ENC texts into one output buffer
 * (`cipher-pool.ts`). Each text's exact length is known once the batch is packed, before
 * anything is encrypted, so a caller can choose where every text goes: `EncryptBatch.run`
 * writes them at given offsets of any buffer — an emitter can have them written straight
 * into the final file (`formats/dotenv/emit-sealed.ts`), with no string per value and no
 * second copy of the output. `runEncryptTexts` is the plain form: texts back to back,
 * decoded once, each value's string a slice of that.
 */
import * as nodeCrypto from "node:crypto";
import { encryptPacked } from "./cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, packEncrypt, plain, type Alloc, type EncryptInputs, type PackedEncrypt } from "./cipher-pack.js";
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

/** A packed encrypt batch whose texts are written wherever the caller places them. */
export class EncryptBatch {
  private packed: PackedEncrypt | undefined;
  /** The packed layout's offsets (kept after `run` for `textLength`). */
  private readonly encOffs: Int32Array;
  private readonly alloc: Alloc;
  private readonly shared: boolean;

  constructor(
    private readonly key: Uint8Array,
    input: EncryptInputs,
    private readonly opts?: CipherJobOptions,
  ) {
    this.shared = wantsWorker(input.plaintexts.length, opts);
    this.alloc = this.shared ? SHARED_ALLOC : LOCAL_ALLOC;
    this.packed = packEncrypt(input, this.alloc);
    this.encOffs = this.packed.encOffs;
  }

  get count(): number {
    return this.encOffs.length - 1;
  }
  /** Length (bytes = characters, ASCII) of job `i`'s ENC text. */
  textLength(i: number): number {
    return this.encOffs[i + 1]! - this.encOffs[i]!;
  }
  /** A buffer `run` may write into (shared memory when a worker helps). */
  buffer(size: number): Buffer {
    return this.alloc.bytes(size);
  }
  /** Offsets for `run` (shared memory when a worker helps). */
  offsets(): Int32Array {
    return this.alloc.ints(this.count + 1);
  }

  /**
   * Encrypt every job, job i's text to `out[at[i]..at[i] + textLength(i))`; `out` and `at`
   * must come from `buffer` and `offsets` (or be `out`'s packed layout). Runs once: the
   * packed plaintexts are zeroed and let go.
   */
  run(out: Buffer, at?: Int32Array): void {
    const packed = this.packed;
    if (!packed) throw new Error("encrypt batch already ran");
    this.packed = undefined;
    const { count, bytes, offs, ivs, ivOffs, typeCodes, typeNames } = packed;
    const encOffs = at ?? packed.encOffs;
    const key = this.key;
    const [bytesU, ivsU, outU] = [plain(bytes), plain(ivs), plain(out)];
    try {
      // The worker does every chunk when there is one (`mainThreadJoins` says why).
      const opts: CipherJobOptions = { mainThreadJoins: false, ...this.opts };
      runChunked(key, count, { kind: "encrypt", bytes, offs, ivs, ivOffs, typeCodes, typeNames, out, encOffs }, this.shared, (a, b) => encryptPacked(nodeCrypto, key, bytesU, offs, ivsU, ivOffs, typeCodes, typeNames, outU, encOffs, a, b), opts);
    } finally {
      bytes.fill(0);
    }
  }

  /** Texts back to back (the packed layout), as strings. */
  texts(): EncryptedTexts {
    const encOffs = this.encOffs;
    const size = encOffs[this.count]!;
    const out = this.buffer(size);
    this.run(out);
    return new EncryptedTexts(out.toString("latin1", 0, size), encOffs);
  }
}

/** Encrypt every job; texts come back in job order. */
export function runEncryptTexts(key: Uint8Array, input: EncryptInputs, opts?: CipherJobOptions): EncryptedTexts {
  return new EncryptBatch(key, input, opts).texts();
}
