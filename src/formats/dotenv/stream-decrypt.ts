/**
 * Decrypt an encrypted dotenv file bytes in, bytes out, without building the tree: at
 * 100k values the tree (entry, leaf, key and value objects) is most of the heap, and
 * its survival makes V8 grow the young generation too. The same checks, MAC and output
 * as `decryptTree` + `emitDotenvParts` (test/formats/dotenv/stream-decrypt.test.ts
 * compares both on fixtures and generated files), for the usual file only: whenever
 * anything is unusual — a malformed, unencrypted or tampered value, a comment that
 * does not decrypt, a non-string type, invalid UTF-8 — it returns `undefined` and the
 * caller takes the tree path, which then reports exactly what it always reports.
 *
 * Output: every line except the `sops_…` ones, in order, each with its own line end;
 * a decrypted value is `KEY=` + its plaintext with newlines as `\n` (what the emitter
 * writes), a decrypted comment `#` + its text, every other line its own bytes (the
 * emitter gives an unchanged line back byte for byte).
 */
import { isUtf8 } from "node:buffer";
import { looksEncrypted } from "../../crypto/cipher.js";
import { MacHasher } from "../../crypto/mac.js";
import type { CipherJobOptions } from "../../tree/cipher-pool.js";
import { prepareDecryptTexts, runPreparedDecrypt, type EncTextRanges } from "../../tree/cipher-texts.js";
import { fromPlaintext } from "../../tree/scalar-codec.js";
import { compileSelection, type SelectionOptions } from "../../tree/selection.js";
import { BLANK, COMMENT, ENC_VALUE_PREFIX, METADATA, readDotenvValue, startsWithAscii, type DotenvLines } from "./stream-scan.js";

export interface StreamDecryptOptions {
  dataKey: Uint8Array;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  worker?: CipherJobOptions["worker"];
}

/** The decrypted file and the MAC over its values, or `undefined`: take the tree path. */
export function streamDecryptDotenv(lines: DotenvLines, opts: StreamDecryptOptions): { output: Uint8Array; mac: string } | undefined {
  const { source: buf, count, starts, ends, eqs } = lines;
  const shouldEncrypt = compileSelection(opts.selection);
  // Per line: its job (≥ 0), or -1; per job its ENC text (a comment's) or value range k.
  const jobOf = new Int32Array(count).fill(-1);
  const encs: (string | number)[] = [];
  const aads: string[] = [];
  // Value k (a range job) is `buf[valueStarts[k]..ends[valueLines[k]])`.
  const valueStarts = new Int32Array(count);
  const valueLines = new Int32Array(count);
  let values = 0;
  // Values hashed as they are (not decrypted): line index → its bytes, in walk order.
  const macExtra = new Map<number, string>();
  const level: string[] = [];
  const stack = [level];
  const path: string[] = [];
  for (let i = 0; i < count; i++) {
    const eq = eqs[i]!;
    if (eq === BLANK || eq === METADATA) continue;
    const start = starts[i]!;
    const end = ends[i]!;
    if (eq === COMMENT) {
      const text = buf.toString("utf8", start + 1, end);
      level.push(text);
      if (shouldEncrypt(path, stack, true) && looksEncrypted(text)) {
        jobOf[i] = encs.length;
        encs.push(text);
        aads.push(":");
      }
      continue;
    }
    const key = buf.toString("utf8", start, eq);
    path.push(key);
    const encrypted = shouldEncrypt(path, stack, false);
    path.pop();
    level.length = 0;
    const countsForMac = !opts.macOnlyEncrypted || encrypted;
    if (encrypted && startsWithAscii(buf, eq + 1, end, ENC_VALUE_PREFIX)) {
      jobOf[i] = encs.length;
      valueStarts[values] = eq + 1;
      valueLines[values] = i;
      encs.push(values++);
      // Read from the key's bytes by `ranges.aadStart` (no string kept per value).
      aads.push("");
      continue;
    }
    const value = readDotenvValue(buf, eq + 1, end);
    // Not encrypted, or malformed: the tree path reports it.
    if (encrypted && value !== "") return undefined;
    if (countsForMac) macExtra.set(i, value);
  }

  const ranges: EncTextRanges = {
    source: buf,
    start: (k) => valueStarts[k]!,
    end: (k) => ends[valueLines[k]!]!,
    text: (k) => readDotenvValue(buf, valueStarts[k]!, ends[valueLines[k]!]!),
    // `KEY=VALUE` on its line: the AAD `KEY:` is the line's start up to the `=`.
    aadStart: (k) => starts[valueLines[k]!]!,
  };

  const workerOpts = opts.worker ? { worker: opts.worker } : undefined;
  const prepared = prepareDecryptTexts(encs, aads, workerOpts, ranges);
  const types = prepared.types;
  for (let j = 0; j < encs.length; j++) {
    // A malformed value, or a type the tree path renders (int, comment, …): not ours.
    if (typeof encs[j] === "number" && types[j] !== "str") return undefined;
  }
  const plain = runPreparedDecrypt(opts.dataKey, prepared, workerOpts);
  try {
    const out = plain.buffer(0);
    const allUtf8 = encs.length > 0 && isUtf8(out);
    // Per job: plaintext bytes to write (escaped later), or a decoded comment.
    const texts = new Map<number, Buffer>();
    const mac = new MacHasher(opts.macOnlyEncrypted);
    let size = 0;
    for (let i = 0; i < count; i++) {
      const eq = eqs[i]!;
      if (eq === METADATA) continue;
      const lineEnd = ends[i]! < buf.length ? 1 : 0;
      const j = jobOf[i]!;
      if (j < 0) {
        const extra = macExtra.get(i);
        if (extra !== undefined) mac.update(extra);
        size += ends[i]! - starts[i]! + lineEnd;
        continue;
      }
      // A malformed ENC comment stays as it is (as in `decryptTree`).
      if (eq === COMMENT && types[j] === undefined) {
        size += ends[i]! - starts[i]! + lineEnd;
        continue;
      }
      // A comment or value that fails authentication: the tree path warns or refuses.
      if (!plain.ok(j)) return undefined;
      const a = plain.start(j);
      const b = plain.end(j);
      if (eq === COMMENT) {
        const text = Buffer.from(out.toString("utf8", a, b), "utf8");
        texts.set(j, text);
        size += 1 + text.length + lineEnd;
        continue;
      }
      if (!wholeUtf8(out, a, b, allUtf8)) {
        // Empty, a leading BOM or not UTF-8: decoded as the strict decoder does (or not ours).
        let decoded;
        try {
          decoded = fromPlaintext("str", out.subarray(a, b));
        } catch {
          return undefined;
        }
        if (decoded.type !== "str") return undefined;
        texts.set(j, Buffer.from(decoded.value, "utf8"));
      }
      mac.update(out.subarray(a, b));
      const bytes = texts.get(j) ?? out.subarray(a, b);
      size += eq + 1 - starts[i]! + escapedLength(bytes) + lineEnd;
    }
    const result = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const eq = eqs[i]!;
      if (eq === METADATA) continue;
      const j = jobOf[i]!;
      const s = starts[i]!;
      const text = j >= 0 ? texts.get(j) : undefined;
      if (eq === COMMENT && text) {
        result[at++] = 35;
        at += text.copy(result, at);
      } else if (j < 0 || eq === COMMENT) at += buf.copy(result, at, s, ends[i]!);
      else {
        at += buf.copy(result, at, s, eq + 1);
        at = copyEscaped(text ?? out.subarray(plain.start(j), plain.end(j)), result, at);
      }
      if (ends[i]! < buf.length) result[at++] = 10;
    }
    return { output: new Uint8Array(result.buffer, result.byteOffset, at), mac: mac.digestHex() };
  } finally {
    plain.wipe();
  }
}

/** As `decryptTree`: valid UTF-8 on character boundaries, not empty, no leading BOM. */
function wholeUtf8(buf: Buffer, a: number, b: number, valid: boolean): boolean {
  if (!valid || a >= b) return false;
  if ((buf[a]! & 0xc0) === 0x80 || (b < buf.length && (buf[b]! & 0xc0) === 0x80)) return false;
  return !(buf[a] === 0xef && buf[a + 1] === 0xbb && buf[a + 2] === 0xbf && b - a >= 3);
}

/** Length of `bytes` with each newline written as the two characters `\n`. */
function escapedLength(bytes: Uint8Array): number {
  let n = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

function copyEscaped(bytes: Uint8Array, out: Buffer, at: number): number {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 10) {
      out[at++] = 92;
      out[at++] = 110;
    } else out[at++] = c;
  }
  return at;
}
