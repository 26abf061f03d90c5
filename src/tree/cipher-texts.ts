/**
 * Batch decryption straight from `ENC[…]` texts: the base64 parts are decoded directly
 * into one packed buffer per thread (no ParsedEnc object and three Buffers per value),
 * and the plaintexts land in one output buffer per thread. At 100k values this is most
 * of the difference between GC-bound and cipher-bound decryption.
 */
import * as nodeCrypto from "node:crypto";
import { availableParallelism } from "node:os";
import { ENC_DATA_START } from "../crypto/cipher.js";
import { decryptPacked } from "./cipher-batch.js";
import type { CipherJobOptions } from "./cipher-jobs.js";
import type { PackedDecrypt } from "./cipher-pack.js";
import { startDecryptWorker } from "./cipher-worker.js";

/** Exact decoded length of validated, padded base64 `text[from..to)`. */
function b64Len(text: string, from: number, to: number): number {
  const pad = text.charCodeAt(to - 1) === 61 ? (text.charCodeAt(to - 2) === 61 ? 2 : 1) : 0;
  return ((to - from) / 4) * 3 - pad;
}

/**
 * Pack jobs `from`..`to` (texts validated by `encTypeOfText`) in `decryptPacked`'s layout:
 * per job AAD, IV, tag, ciphertext.
 */
export function packDecryptTexts(encs: readonly string[], aads: readonly string[], from: number, to: number): PackedDecrypt {
  const count = to - from;
  const offs = new Int32Array(4 * count + 1);
  const outOffs = new Int32Array(count + 1);
  // Part boundaries are found once; the second loop reuses them from `offs` scratch space.
  const marks = new Int32Array(3 * count);
  let size = 0;
  let outSize = 0;
  for (let i = 0; i < count; i++) {
    const text = encs[from + i]!;
    const dataEnd = text.indexOf(",iv:", ENC_DATA_START);
    const ivEnd = text.indexOf(",tag:", dataEnd + 4);
    const tagEnd = text.indexOf(",type:", ivEnd + 5);
    marks[3 * i] = dataEnd;
    marks[3 * i + 1] = ivEnd;
    marks[3 * i + 2] = tagEnd;
    const dataLen = b64Len(text, ENC_DATA_START, dataEnd);
    size += Buffer.byteLength(aads[from + i]!, "utf8") + b64Len(text, dataEnd + 4, ivEnd) + 16 + dataLen;
    outSize += dataLen;
  }
  const bytes = Buffer.allocUnsafeSlow(size);
  let pos = 0;
  let out = 0;
  for (let i = 0; i < count; i++) {
    const text = encs[from + i]!;
    const dataEnd = marks[3 * i]!;
    const ivEnd = marks[3 * i + 1]!;
    const tagEnd = marks[3 * i + 2]!;
    offs[4 * i] = pos;
    pos += bytes.write(aads[from + i]!, pos, "utf8");
    offs[4 * i + 1] = pos;
    pos += bytes.write(text.slice(dataEnd + 4, ivEnd), pos, "base64");
    offs[4 * i + 2] = pos;
    pos += bytes.write(text.slice(ivEnd + 5, tagEnd), pos, "base64");
    offs[4 * i + 3] = pos;
    const n = bytes.write(text.slice(ENC_DATA_START, dataEnd), pos, "base64");
    pos += n;
    outOffs[i] = out;
    out += n;
  }
  offs[4 * count] = pos;
  outOffs[count] = out;
  return { count, bytes, offs, outOffs, outSize };
}

/** One thread's share of a decrypted batch. */
interface Share {
  out: Buffer;
  outOffs: Int32Array;
  ok: Uint8Array;
}

/** The plaintexts of a batch: job i is `buffer(i)[start(i)..end(i))` when `ok(i)`. */
export class DecryptedTexts {
  constructor(
    private readonly split: number,
    private readonly head: Share | undefined,
    private readonly tail: Share,
  ) {}

  private share(i: number): Share {
    return i < this.split ? this.head! : this.tail;
  }
  private local(i: number): number {
    return i < this.split ? i : i - this.split;
  }
  ok(i: number): boolean {
    return this.share(i).ok[this.local(i)] === 1;
  }
  buffer(i: number): Buffer {
    return this.share(i).out;
  }
  start(i: number): number {
    return this.share(i).outOffs[this.local(i)]!;
  }
  end(i: number): number {
    return this.share(i).outOffs[this.local(i) + 1]!;
  }
  /** Zero every plaintext. */
  wipe(): void {
    this.head?.out.fill(0);
    this.tail.out.fill(0);
  }
}

function runShare(key: Uint8Array, packed: PackedDecrypt, opts: CipherJobOptions | undefined, shareOfOthers: number, total: number): Share {
  const out = Buffer.allocUnsafeSlow(packed.outSize);
  const ok = new Uint8Array(packed.count);
  const report = opts?.onProgress;
  const step = report ? 4096 : packed.count;
  const scale = (packed.count + shareOfOthers) / Math.max(1, packed.count);
  for (let a = 0; a < packed.count; a += step) {
    const b = Math.min(packed.count, a + step);
    decryptPacked(nodeCrypto, key, packed.bytes, packed.offs, out, packed.outOffs, ok, a, b);
    report?.(Math.min(total - 1, Math.floor(b * scale)), total);
  }
  return { out, outOffs: packed.outOffs, ok };
}

/** Below this many values a worker's start-up costs more than it saves (bench/: measured). */
const PARALLEL_MIN_JOBS = 20_000;
/** Jobs the main thread does on top of its half, while the worker starts. */
const MAIN_HEAD_START = 1_500;

/** Decrypt validated ENC texts under their AADs (`runDecryptJobs` without the per-value objects). */
export function runDecryptTexts(key: Uint8Array, encs: readonly string[], aads: readonly string[], opts?: CipherJobOptions): DecryptedTexts {
  const n = encs.length;
  const parallel = n >= 2 && n >= (opts?.parallelMinJobs ?? PARALLEL_MIN_JOBS) && availableParallelism() >= 2;
  const k = parallel ? Math.min(n - 1, Math.max(1, Math.floor((n - MAIN_HEAD_START) / 2))) : 0;
  let head: Share | undefined;
  const headPacked = k > 0 ? packDecryptTexts(encs, aads, 0, k) : undefined;
  const headOffs = headPacked?.outOffs;
  const pending = headPacked ? startDecryptWorker(key, headPacked) : undefined;
  const split = pending ? k : 0;
  const tail = runShare(key, packDecryptTexts(encs, aads, split, n), opts, split, n);
  if (pending) {
    const res = pending.collect();
    if (res && res.ok.length === k) head = { out: res.out, outOffs: headOffs!, ok: res.ok };
    else head = runShare(key, packDecryptTexts(encs, aads, 0, k), undefined, 0, n);
  }
  opts?.onProgress?.(n, n);
  return new DecryptedTexts(split, head, tail);
}
