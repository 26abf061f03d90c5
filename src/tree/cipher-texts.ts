/**
 * Batch decryption straight from `ENC[…]` texts: the base64 parts are decoded directly
 * into one packed buffer (no ParsedEnc object and three Buffers per value), and the
 * plaintexts land in one output buffer, shared with a worker thread when one helps
 * (`cipher-pool.ts`). At 100k values this is most of the difference between GC-bound and
 * cipher-bound decryption.
 */
import * as nodeCrypto from "node:crypto";
import { AadBytes } from "./aad-bytes.js";
import { ENC_DATA_START } from "../crypto/cipher.js";
import { scanEncBytes, typeOfBytes } from "../crypto/enc-bytes.js";
import { decryptPacked } from "./cipher-batch.js";
import { prepareRangeDecrypt, rangedIvText } from "./cipher-ranges-pack.js";
import { decryptRanges } from "./cipher-ranges-batch.js";
import { checkText, decodeB64, sextetTable } from "./enc-b64.js";
import { LOCAL_ALLOC, SHARED_ALLOC, plain, type PackedDecrypt } from "./cipher-pack.js";
import { runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";

/** ENC texts checked and decoded per group: one join and one native write per group. */
const GROUP = 512;

/** ENC texts left in an input buffer (`enc-ranges.ts`, or a streaming reader's own). */
export interface EncTextRanges {
  readonly source: Uint8Array;
  start(k: number): number;
  end(k: number): number;
  /** Text k as the reader would have read it into a string (for the exact string check). */
  text(k: number): string;
  /**
   * Optional: range k's AAD is in the source too, as `source[aadStart(k)..start(k) - 1)`
   * followed by `:` (dotenv's `KEY=VALUE`: the AAD is `KEY:`); its `aads` entry is not read.
   */
  aadStart?(k: number): number;
}

/** A batch's ENC texts checked and packed for `runPreparedDecrypt`. */
export interface PreparedDecrypt {
  /** Per job its `type:` tag, or `undefined` when the text is malformed (nothing packed). */
  types: (string | undefined)[];
  packed: PackedDecrypt;
  /** Packed on shared memory (a worker will help). */
  shared: boolean;
  /**
   * Set when packed in `decryptRanges`' layout (`cipher-ranges-pack.ts`): the input bytes
   * that still hold the base64 parts.
   */
  source?: Uint8Array;
}

/**
 * Check every ENC text (exactly as `encTypeOfText`) and pack the well-formed ones in
 * `decryptPacked`'s layout: per job AAD, IV, tag, ciphertext. Texts are copied as bytes
 * a group at a time, checked and base64-decoded there; a group with non-ASCII text
 * (only possible in a malformed or whitespace-padded value) is checked text by text.
 *
 * A job given as a number k is range k of `ranges` (`enc-ranges.ts`): checked and
 * decoded in the input bytes themselves, no string and no copy; a range the byte check
 * refuses (non-ASCII or escaped text) gets the same string check as any other text.
 */
export function prepareDecryptTexts(encs: readonly (string | number)[], aads: readonly string[] | AadBytes, opts?: CipherJobOptions, ranges?: EncTextRanges): PreparedDecrypt {
  const aadBytes = aads instanceof AadBytes ? aads : undefined;
  const aadTexts = aads instanceof AadBytes ? undefined : aads;
  const count = encs.length;
  const shared = wantsWorker(count, opts);
  // Ranges of the input are decoded where they are, by the decrypting thread, when the
  // worker can see the input too (it is on shared memory) or there is no worker.
  if (ranges && encs.some((e) => typeof e === "number") && (!shared || ranges.source.buffer instanceof SharedArrayBuffer)) {
    return prepareRangeDecrypt(encs, aads, ranges, shared);
  }
  const alloc = shared ? SHARED_ALLOC : LOCAL_ALLOC;
  // An upper bound, exact offsets below: the base64 parts of an ENC text are at most its
  // length less 37 (61 fixed characters, of which the 24 of the tag are base64). A
  // range's bytes are at least as many as its characters.
  let bound = 0;
  for (let i = 0; i < count; i++) {
    const e = encs[i]!;
    const length = typeof e === "number" ? ranges!.end(e) - ranges!.start(e) : e.length;
    const aad = typeof e === "number" && ranges!.aadStart ? ranges!.start(e) - ranges!.aadStart(e) : aadBytes ? aadBytes.length(i) : Buffer.byteLength(aadTexts![i]!, "utf8");
    bound += aad + Math.max(0, Math.ceil(((length - 37) * 3) / 4));
  }
  const bytes = alloc.bytes(bound);
  const dst = plain(bytes);
  const offs = alloc.ints(4 * count + 1);
  const outOffs = alloc.ints(count + 1);
  const types = new Array<string | undefined>(count);
  const marks = new Int32Array(2);
  const t = sextetTable();
  let scratch = Buffer.allocUnsafeSlow(0);
  let pos = 0;
  let outSize = 0;
  const group: string[] = [];
  let rangeSrc: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count && ranges; i++) {
    if (typeof encs[i] === "number") {
      rangeSrc = plain(ranges.source);
      break;
    }
  }
  for (let g = 0; g < count; g += GROUP) {
    const h = Math.min(count, g + GROUP);
    group.length = 0;
    for (let i = g; i < h; i++) if (typeof encs[i] === "string") group.push(encs[i] as string);
    const joined = group.join("\n");
    if (scratch.length < 3 * joined.length) scratch = Buffer.allocUnsafeSlow(3 * joined.length);
    const ascii = scratch.write(joined, 0, "utf8") === joined.length;
    const joinedSrc: Uint8Array = plain(scratch);
    let s = 0;
    for (let i = g; i < h; i++) {
      const e = encs[i]!;
      let src = joinedSrc;
      let base: number;
      let length: number;
      let end: number;
      if (typeof e === "number") {
        src = rangeSrc;
        base = ranges!.start(e);
        length = ranges!.end(e) - base;
        end = scanEncBytes(src, base, base + length, marks, 0);
        if (end < 0) {
          const checked = checkText(ranges!.text(e));
          src = checked ?? src;
          base = 0;
          end = checked ? scanEncBytes(src, 0, checked.length, marks, 0) : -1;
        }
      } else {
        base = s;
        s += e.length + 1;
        length = e.length;
        if (!ascii) {
          const checked = checkText(e);
          src = checked ?? src;
          base = checked ? 0 : -1;
          length = checked ? checked.length : 0;
        }
        end = base < 0 ? -1 : scanEncBytes(src, base, base + length, marks, 0);
      }
      offs[4 * i] = pos;
      if (typeof e === "number" && ranges!.aadStart) {
        const from = ranges!.aadStart(e);
        const to = ranges!.start(e) - 1;
        dst.set(rangeSrc.subarray(from, to), pos);
        pos += to - from;
        dst[pos++] = 58;
      } else if (aadBytes) {
        dst.set(aadBytes.bytes.subarray(aadBytes.offs[i]!, aadBytes.offs[i + 1]!), pos);
        pos += aadBytes.length(i);
      } else pos += bytes.write(aadTexts![i]!, pos, "utf8");
      offs[4 * i + 1] = pos;
      if (end < 0) {
        types[i] = undefined;
        offs[4 * i + 2] = offs[4 * i + 3] = pos;
      } else {
        const dataEnd = marks[0]!;
        const ivEnd = marks[1]!;
        types[i] = typeOfBytes(src, ivEnd + 35, end);
        pos = decodeB64(src, dataEnd + 4, ivEnd, dst, pos, t);
        offs[4 * i + 2] = pos;
        pos = decodeB64(src, ivEnd + 5, ivEnd + 29, dst, pos, t);
        offs[4 * i + 3] = pos;
        pos = decodeB64(src, base + ENC_DATA_START, dataEnd, dst, pos, t);
      }
      outOffs[i] = outSize;
      outSize += pos - offs[4 * i + 3]!;
    }
  }
  offs[4 * count] = pos;
  outOffs[count] = outSize;
  return { types, packed: { count, bytes, offs, outOffs, outSize }, shared };
}

/**
 * The base64 IV of a well-formed job i as its text had it: the IV is canonical base64
 * (the check requires it), so re-encoding its decoded bytes gives the same text back.
 */
export function packedIvText(prepared: PreparedDecrypt, i: number): string {
  const { bytes, offs } = prepared.packed;
  if (prepared.source) return rangedIvText(prepared.source, bytes, offs, i);
  return Buffer.from(bytes.buffer, bytes.byteOffset + offs[4 * i + 1]!, offs[4 * i + 2]! - offs[4 * i + 1]!).toString("base64");
}

/** The plaintexts of a batch: job i is `buffer(i)[start(i)..end(i))` when `ok(i)`. */
export class DecryptedTexts {
  constructor(
    private readonly out: Buffer,
    private readonly outOffs: Int32Array,
    private readonly okFlags: Uint8Array,
  ) {}

  ok(i: number): boolean {
    return this.okFlags[i] === 1;
  }
  buffer(_i: number): Buffer {
    return this.out;
  }
  start(i: number): number {
    return this.outOffs[i]!;
  }
  end(i: number): number {
    return this.outOffs[i + 1]!;
  }
  /** Zero every plaintext (`out` may be longer: a bound, its tail never written). */
  wipe(): void {
    this.out.fill(0, 0, this.outOffs[this.outOffs.length - 1]);
  }
}

/** Decrypt a prepared batch (malformed texts come back as failed). */
export function runPreparedDecrypt(key: Uint8Array, prepared: PreparedDecrypt, opts?: CipherJobOptions): DecryptedTexts {
  const { count: n, bytes, offs, outOffs, outSize } = prepared.packed;
  const { shared } = prepared;
  const out = (shared ? SHARED_ALLOC : LOCAL_ALLOC).bytes(outSize);
  const ok = shared ? new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n) : new Uint8Array(n);
  const [bytesU, outU] = [plain(bytes), plain(out)];
  if (prepared.source) {
    const src = prepared.source;
    const srcU = plain(src);
    // Every chunk to the worker (the main thread only waits, and redoes what a failed
    // worker left): as for encrypt batches, the ciphers' garbage then piles up in the
    // worker's small young generation instead of the main thread's large one. Measured at
    // 100k values: JSON and dotenv decrypt peak 8–13 MB lower (at or below sops's), for
    // about 0.1 s more wall time (still ~12× sops for JSON, on par for dotenv).
    const workerOnly = shared ? { ...opts, mainThreadJoins: false } : opts;
    runChunked(key, n, { kind: "decrypt-ranges", src, bytes, offs, out, outOffs, ok }, shared, (a, b) => decryptRanges(nodeCrypto, key, srcU, bytesU, offs, outU, outOffs, ok, a, b, decodeB64, sextetTable()), workerOnly);
    return new DecryptedTexts(out, outOffs, ok);
  }
  runChunked(key, n, { kind: "decrypt", bytes, offs, out, outOffs, ok }, shared, (a, b) => decryptPacked(nodeCrypto, key, bytesU, offs, outU, outOffs, ok, a, b), opts);
  return new DecryptedTexts(out, outOffs, ok);
}

/** Check, pack and decrypt ENC texts under their AADs (malformed texts come back as failed). */
export function runDecryptTexts(key: Uint8Array, encs: readonly (string | number)[], aads: readonly string[], opts?: CipherJobOptions): DecryptedTexts {
  return runPreparedDecrypt(key, prepareDecryptTexts(encs, aads, opts), opts);
}
