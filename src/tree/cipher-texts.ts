/**
 * Batch decryption straight from `ENC[…]` texts: the base64 parts are decoded directly
 * into one packed buffer (no ParsedEnc object and three Buffers per value), and the
 * plaintexts land in one output buffer, shared with a worker thread when one helps
 * (`cipher-pool.ts`). At 100k values this is most of the difference between GC-bound and
 * cipher-bound decryption.
 */
import * as nodeCrypto from "node:crypto";
import { ENC_DATA_START } from "../crypto/cipher.js";
import { decryptPacked } from "./cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, plain, type Alloc, type PackedDecrypt } from "./cipher-pack.js";
import { runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";

/** Exact decoded length of validated, padded base64 `text[from..to)`. */
function b64Len(text: string, from: number, to: number): number {
  const pad = text.charCodeAt(to - 1) === 61 ? (text.charCodeAt(to - 2) === 61 ? 2 : 1) : 0;
  return ((to - from) / 4) * 3 - pad;
}

/** Base64 alphabet → 6-bit values (built on first use). */
let sextets: Uint8Array | undefined;

function sextetTable(): Uint8Array {
  if (!sextets) {
    sextets = new Uint8Array(128);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (let i = 0; i < 64; i++) sextets[alphabet.charCodeAt(i)] = i;
  }
  return sextets;
}

/**
 * Decode validated, canonical, padded base64 `text[from..to)` into `out` at `at`; returns
 * the end. A plain loop over the string: no substring and no native call per part.
 */
function decodeB64(text: string, from: number, to: number, out: Uint8Array, at: number, t: Uint8Array): number {
  let end = to;
  while (text.charCodeAt(end - 1) === 61) end--;
  let i = from;
  for (; i + 3 < end; i += 4) {
    const v = (t[text.charCodeAt(i)]! << 18) | (t[text.charCodeAt(i + 1)]! << 12) | (t[text.charCodeAt(i + 2)]! << 6) | t[text.charCodeAt(i + 3)]!;
    out[at] = v >>> 16;
    out[at + 1] = (v >>> 8) & 255;
    out[at + 2] = v & 255;
    at += 3;
  }
  const rest = end - i;
  if (rest >= 2) {
    const v = (t[text.charCodeAt(i)]! << 18) | (t[text.charCodeAt(i + 1)]! << 12) | (rest === 3 ? t[text.charCodeAt(i + 2)]! << 6 : 0);
    out[at++] = v >>> 16;
    if (rest === 3) out[at++] = (v >>> 8) & 255;
  }
  return at;
}

/**
 * Pack every job (texts validated by `encTypeOfText`) in `decryptPacked`'s layout: per
 * job AAD, IV, tag, ciphertext.
 */
export function packDecryptTexts(encs: readonly string[], aads: readonly string[], alloc: Alloc): PackedDecrypt {
  const count = encs.length;
  const offs = alloc.ints(4 * count + 1);
  const outOffs = alloc.ints(count + 1);
  // Part boundaries are found once and reused by the second loop.
  const marks = new Int32Array(2 * count);
  let size = 0;
  let outSize = 0;
  for (let i = 0; i < count; i++) {
    const text = encs[i]!;
    const dataEnd = text.indexOf(",iv:", ENC_DATA_START);
    const ivEnd = text.indexOf(",tag:", dataEnd + 4);
    marks[2 * i] = dataEnd;
    marks[2 * i + 1] = ivEnd;
    const dataLen = b64Len(text, ENC_DATA_START, dataEnd);
    size += Buffer.byteLength(aads[i]!, "utf8") + b64Len(text, dataEnd + 4, ivEnd) + 16 + dataLen;
    outOffs[i] = outSize;
    outSize += dataLen;
  }
  outOffs[count] = outSize;
  const bytes = alloc.bytes(size);
  const t = sextetTable();
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const text = encs[i]!;
    const dataEnd = marks[2 * i]!;
    const ivEnd = marks[2 * i + 1]!;
    offs[4 * i] = pos;
    pos += bytes.write(aads[i]!, pos, "utf8");
    offs[4 * i + 1] = pos;
    pos = decodeB64(text, dataEnd + 4, ivEnd, bytes, pos, t);
    offs[4 * i + 2] = pos;
    // The tag is always 24 characters (validated) right after ",tag:".
    pos = decodeB64(text, ivEnd + 5, ivEnd + 29, bytes, pos, t);
    offs[4 * i + 3] = pos;
    pos = decodeB64(text, ENC_DATA_START, dataEnd, bytes, pos, t);
  }
  offs[4 * count] = pos;
  return { count, bytes, offs, outOffs, outSize };
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
  /** Zero every plaintext. */
  wipe(): void {
    this.out.fill(0);
  }
}

/** Decrypt validated ENC texts under their AADs (`runDecryptJobs` without the per-value objects). */
export function runDecryptTexts(key: Uint8Array, encs: readonly string[], aads: readonly string[], opts?: CipherJobOptions): DecryptedTexts {
  const n = encs.length;
  const shared = wantsWorker(n, opts);
  const alloc = shared ? SHARED_ALLOC : LOCAL_ALLOC;
  const { bytes, offs, outOffs, outSize } = packDecryptTexts(encs, aads, alloc);
  const out = alloc.bytes(outSize);
  const ok = shared ? new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n) : new Uint8Array(n);
  const [bytesU, outU] = [plain(bytes), plain(out)];
  runChunked(key, n, { kind: "decrypt", bytes, offs, out, outOffs, ok }, shared, (a, b) => decryptPacked(nodeCrypto, key, bytesU, offs, outU, outOffs, ok, a, b), opts);
  return new DecryptedTexts(out, outOffs, ok);
}
