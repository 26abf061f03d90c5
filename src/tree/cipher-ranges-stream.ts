/**
 * A worker batch over ENC texts left in a shared input (`cipher-ranges-pack.ts`' layout),
 * packed while the worker already decrypts: the batch goes to the worker first (its
 * buffers sized from upper bounds that need no scan), then this thread checks and packs
 * the jobs a chunk at a time, publishing each (`runChunked`'s progressive batches), then
 * waits. The worker would otherwise wait through the whole pack before starting.
 *
 * Checks, first-error order and packed bytes are those of `prepareRangeDecrypt` (same
 * layout, same string path); only the buffers are larger than needed. The unused tails
 * are never written (shared memory is zero-filled on allocation, so they cost address
 * space, not resident memory), and the plaintexts are wiped only up to their end.
 */
import * as nodeCrypto from "node:crypto";
import { AadBytes } from "./aad-bytes.js";
import { SHARED_ALLOC, plain } from "./cipher-pack.js";
import { CHUNK_JOBS, runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";
import { decryptRanges } from "./cipher-ranges-batch.js";
import { DecryptedTexts, prepareDecryptTexts, runPreparedDecrypt, type EncTextRanges, type PreparedDecrypt } from "./cipher-texts.js";
import { STRIDE, decodedLength, markRangeJob, packAad, packStringJob } from "./cipher-ranges-pack.js";
import { decodeB64, sextetTable } from "./enc-b64.js";


/** A checked and decrypted batch: per job its type (`undefined`: malformed) and plaintext. */
export interface DecryptedBatch {
  prepared: PreparedDecrypt;
  plain: DecryptedTexts;
}

/**
 * Check and decrypt a batch of ENC texts (`prepareDecryptTexts` then `runPreparedDecrypt`,
 * or pipelined when a worker helps over a shared input). `check(types)` runs once every
 * text is checked, before this thread decrypts any (it may throw, e.g. for the first
 * malformed value).
 */
export function decryptBatch(
  key: Uint8Array,
  encs: readonly (string | number)[],
  aads: readonly string[] | AadBytes,
  ranges: EncTextRanges | undefined,
  opts: CipherJobOptions | undefined,
  check: (types: readonly (string | undefined)[]) => void,
): DecryptedBatch {
  if (ranges && ranges.source.buffer instanceof SharedArrayBuffer && wantsWorker(encs.length, opts) && encs.some((e) => typeof e === "number")) {
    return decryptRangesPipelined(key, encs, aads, ranges, opts, check);
  }
  const prepared = prepareDecryptTexts(encs, aads, opts, ranges);
  check(prepared.types);
  return { prepared, plain: runPreparedDecrypt(key, prepared, opts) };
}

/**
 * Check, pack and decrypt `encs` (ranges of `ranges.source`, which must be on shared
 * memory, or strings) with a worker. `check(types)` runs once every job is packed and
 * before this thread decrypts (it may throw: the worker is then stopped).
 */
export function decryptRangesPipelined(
  key: Uint8Array,
  encs: readonly (string | number)[],
  aads: readonly string[] | AadBytes,
  ranges: EncTextRanges,
  opts: CipherJobOptions | undefined,
  check: (types: readonly (string | undefined)[]) => void,
): DecryptedBatch {
  const aadBytes = aads instanceof AadBytes ? aads : undefined;
  const aadTexts = aads instanceof AadBytes ? undefined : aads;
  const count = encs.length;
  const src = plain(ranges.source);
  // Upper bounds without a scan: every text might take the string path (its base64 parts,
  // at most its length less 37, decoded into `bytes`); a plaintext is at most as long.
  let bound = 0;
  let outBound = 0;
  for (let i = 0; i < count; i++) {
    const e = encs[i]!;
    const rangeAad = typeof e === "number" && ranges.aadStart;
    bound += rangeAad ? ranges.start(e) - ranges.aadStart!(e) : aadBytes ? aadBytes.length(i) : Buffer.byteLength(aadTexts![i]!, "utf8");
    const length = typeof e === "number" ? ranges.end(e) - ranges.start(e) : e.length;
    const parts = Math.max(0, Math.ceil(((length - 37) * 3) / 4));
    bound += parts;
    outBound += parts;
  }
  const bytes = SHARED_ALLOC.bytes(bound);
  const offs = SHARED_ALLOC.ints(STRIDE * count + 1);
  const outOffs = SHARED_ALLOC.ints(count + 1);
  const out = SHARED_ALLOC.bytes(outBound);
  const ok = new Uint8Array(new SharedArrayBuffer(Math.max(1, count)), 0, count);
  const types = new Array<string | undefined>(count);
  const [dst, outU] = [plain(bytes), plain(out)];
  const marks = new Int32Array(2);
  const t = sextetTable();
  let pos = 0;
  let outSize = 0;

  // Job i, exactly as `prepareRangeDecrypt`'s two passes do it. The next job's AAD start
  // and plaintext offset are written too: a string-path job's ciphertext ends there, and
  // the next job may be in a chunk not yet published.
  const pack = (i: number): void => {
    const e = encs[i]!;
    offs[STRIDE * i] = pos;
    pos = packAad(e, i, ranges, aadBytes, aadTexts, bytes, pos);
    offs[STRIDE * i + 1] = pos;
    outOffs[i] = outSize;
    if (typeof e === "number") {
      if (markRangeJob(e, i, ranges, offs, types, marks)) {
        outSize += decodedLength(src, offs[STRIDE * i + 2]!, offs[STRIDE * i + 3]!);
        offs[STRIDE * (i + 1)] = pos;
        outOffs[i + 1] = outSize;
        return;
      }
    }
    // The string path: the exact check, then the parts decoded here.
    offs[STRIDE * i + 2] = -1;
    pos = packStringJob(typeof e === "number" ? ranges.text(e) : e, i, dst, pos, offs, types, marks, t);
    outSize += pos - offs[STRIDE * i + 4]!;
    offs[STRIDE * (i + 1)] = pos;
    outOffs[i + 1] = outSize;
  };

  const batch = { kind: "decrypt-ranges", progressive: true, src: ranges.source, bytes, offs, out, outOffs, ok };
  const local = (a: number, b: number): void => decryptRanges(nodeCrypto, key, src, dst, offs, outU, outOffs, ok, a, b, decodeB64, t);
  // Every chunk to the worker, as `runPreparedDecrypt` does for range batches (peak RSS):
  // this thread packs, then only waits (and redoes what a failed worker left).
  runChunked(key, count, batch, true, local, { ...opts, mainThreadJoins: false }, (publish) => {
    for (let a = 0, c = 1; a < count; a += CHUNK_JOBS, c++) {
      const b = Math.min(count, a + CHUNK_JOBS);
      for (let i = a; i < b; i++) pack(i);
      publish(c);
    }
    check(types);
  });
  const prepared: PreparedDecrypt = { types, packed: { count, bytes, offs, outOffs, outSize }, shared: true, source: ranges.source };
  return { prepared, plain: new DecryptedTexts(out, outOffs, ok) };
}
