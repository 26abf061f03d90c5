/**
 * Packing for `decryptRanges` (`cipher-ranges-batch.ts`): a batch whose ENC texts are
 * mostly byte ranges of the input (`enc-ranges.ts`) keeps their base64 parts there and
 * packs only offsets and the AADs. At 100k values this drops the ~11 MB decoded copy of
 * every IV, tag and ciphertext, and moves their decoding into the parallel cipher phase.
 *
 * Checks are exactly `prepareDecryptTexts`'s, in the same place (here, before the batch):
 * a range the byte check refuses, and any text given as a string, gets the string check
 * and, when well-formed, its parts decoded into the packed buffer as before.
 */
import { AadBytes } from "./aad-bytes.js";
import { ENC_DATA_START } from "../crypto/cipher.js";
import { scanEncBytes, typeOfBytes } from "../crypto/enc-bytes.js";
import { LOCAL_ALLOC, SHARED_ALLOC, plain } from "./cipher-pack.js";
import type { EncTextRanges, PreparedDecrypt } from "./cipher-texts.js";
import { checkText, decodeB64, sextetTable } from "./enc-b64.js";

/** Offsets per job in `decryptRanges`' layout. */
export const STRIDE = 5;

/** Bytes of padded base64 `src[from..to)` once decoded. */
export function decodedLength(src: Uint8Array, from: number, to: number): number {
  const pad = to - from >= 2 && src[to - 1] === 61 ? (src[to - 2] === 61 ? 2 : 1) : 0;
  return ((to - from) / 4) * 3 - pad;
}

/**
 * Check and pack jobs for `decryptRanges`. `shared`: a worker will help (then `ranges`'
 * source must be on a SharedArrayBuffer; the caller checks).
 */
export function prepareRangeDecrypt(encs: readonly (string | number)[], aads: readonly string[] | AadBytes, ranges: EncTextRanges, shared: boolean): PreparedDecrypt {
  const aadBytes = aads instanceof AadBytes ? aads : undefined;
  const aadTexts = aads instanceof AadBytes ? undefined : aads;
  const count = encs.length;
  const alloc = shared ? SHARED_ALLOC : LOCAL_ALLOC;
  const src = plain(ranges.source);
  const offs = alloc.ints(STRIDE * count + 1);
  const outOffs = alloc.ints(count + 1);
  const types = new Array<string | undefined>(count);
  const marks = new Int32Array(2);
  const aadLength = (i: number, e: string | number): number =>
    typeof e === "number" && ranges.aadStart ? ranges.start(e) - ranges.aadStart(e) : aadBytes ? aadBytes.length(i) : Buffer.byteLength(aadTexts![i]!, "utf8");
  // Pass 1: byte-check every range (its marks kept in offs), size the packed buffer: the
  // AADs, plus the decoded parts of the texts that take the string path (an upper bound:
  // the base64 parts of an ENC text are at most its length less 37).
  let bound = 0;
  for (let i = 0; i < count; i++) {
    const e = encs[i]!;
    bound += aadLength(i, e);
    if (typeof e === "number") {
      if (markRangeJob(e, i, ranges, offs, types, marks)) continue;
      offs[STRIDE * i + 2] = -1;
      bound += Math.max(0, Math.ceil(((ranges.end(e) - ranges.start(e) - 37) * 3) / 4));
    } else {
      offs[STRIDE * i + 2] = -1;
      bound += Math.max(0, Math.ceil(((e.length - 37) * 3) / 4));
    }
  }
  const bytes = alloc.bytes(bound);
  const dst = plain(bytes);
  const t = sextetTable();
  let pos = 0;
  let outSize = 0;
  for (let i = 0; i < count; i++) {
    const e = encs[i]!;
    offs[STRIDE * i] = pos;
    pos = packAad(e, i, ranges, aadBytes, aadTexts, bytes, pos);
    offs[STRIDE * i + 1] = pos;
    outOffs[i] = outSize;
    if (offs[STRIDE * i + 2]! >= 0) {
      outSize += decodedLength(src, offs[STRIDE * i + 2]!, offs[STRIDE * i + 3]!);
      continue;
    }
    pos = packStringJob(typeof e === "number" ? ranges.text(e) : e, i, dst, pos, offs, types, marks, t);
    outSize += pos - offs[STRIDE * i + 4]!;
  }
  offs[STRIDE * count] = pos;
  outOffs[count] = outSize;
  return { types, packed: { count, bytes, offs, outOffs, outSize }, shared, source: ranges.source };
}

/** The base64 IV of well-formed job i packed by `prepareRangeDecrypt`. */
export function rangedIvText(source: Uint8Array, bytes: Buffer, offs: Int32Array, i: number): string {
  const y = offs[STRIDE * i + 3]!;
  if (offs[STRIDE * i + 2]! >= 0) return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString("latin1", y + 4, offs[STRIDE * i + 4]!);
  const v = offs[STRIDE * i + 1]!;
  return Buffer.from(bytes.buffer, bytes.byteOffset + v, y - v).toString("base64");
}

/**
 * Write job i's AAD at `bytes[pos..]` (from the input for a range with its AAD in it, else
 * from `aadBytes` or `aadTexts`); returns the end. Shared with the pipelined packer.
 */
export function packAad(e: string | number, i: number, ranges: EncTextRanges, aadBytes: AadBytes | undefined, aadTexts: readonly string[] | undefined, bytes: Buffer, pos: number): number {
  const dst = plain(bytes);
  if (typeof e === "number" && ranges.aadStart) {
    const from = ranges.aadStart(e);
    const to = ranges.start(e) - 1;
    dst.set(plain(ranges.source).subarray(from, to), pos);
    pos += to - from;
    dst[pos++] = 58;
    return pos;
  }
  if (aadBytes) {
    dst.set(aadBytes.bytes.subarray(aadBytes.offs[i]!, aadBytes.offs[i + 1]!), pos);
    return pos + aadBytes.length(i);
  }
  return pos + bytes.write(aadTexts![i]!, pos, "utf8");
}

/**
 * The string path for job i: the exact check, then IV, tag and ciphertext decoded at
 * `dst[pos..]` (`offs` slots 3 and 4 mark the tag and ciphertext starts; slot 2 is the
 * caller's). Sets `types[i]` (`undefined`: malformed, nothing packed); returns the end.
 */
export function packStringJob(text: string, i: number, dst: Uint8Array, pos: number, offs: Int32Array, types: (string | undefined)[], marks: Int32Array, t: Uint8Array): number {
  const checked = checkText(text);
  const end = checked ? scanEncBytes(checked, 0, checked.length, marks, 0) : -1;
  if (!checked || end < 0) {
    types[i] = undefined;
    offs[STRIDE * i + 3] = offs[STRIDE * i + 4] = pos;
    return pos;
  }
  const dataEnd = marks[0]!;
  const ivEnd = marks[1]!;
  types[i] = typeOfBytes(checked, ivEnd + 35, end);
  pos = decodeB64(checked, dataEnd + 4, ivEnd, dst, pos, t);
  offs[STRIDE * i + 3] = pos;
  pos = decodeB64(checked, ivEnd + 5, ivEnd + 29, dst, pos, t);
  offs[STRIDE * i + 4] = pos;
  return decodeB64(checked, ENC_DATA_START, dataEnd, dst, pos, t);
}

/**
 * The byte check of range job `e` (job i): when it passes, its base64 parts stay in the
 * input (`offs` slots 2–4: data, tag and IV starts there) and `types[i]` is set; false
 * means the job takes the string path. Shared with the pipelined packer.
 */
export function markRangeJob(e: number, i: number, ranges: EncTextRanges, offs: Int32Array, types: (string | undefined)[], marks: Int32Array): boolean {
  const src = plain(ranges.source);
  const base = ranges.start(e);
  const end = scanEncBytes(src, base, ranges.end(e), marks, 0);
  if (end < 0) return false;
  offs[STRIDE * i + 2] = base + ENC_DATA_START;
  offs[STRIDE * i + 3] = marks[0]!;
  offs[STRIDE * i + 4] = marks[1]!;
  types[i] = typeOfBytes(src, marks[1]! + 35, end);
  return true;
}
