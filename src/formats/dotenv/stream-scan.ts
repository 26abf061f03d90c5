/**
 * The line structure of an encrypted dotenv file, for the streaming decrypt
 * (`stream-decrypt.ts`): per line only offsets, no tree and no string per value.
 *
 * It accepts only the plain shape every encrypted dotenv file has: valid UTF-8, lines
 * that are blank (ASCII whitespace), `#comment`, or `KEY=VALUE` with a key starting
 * with a printable ASCII character. Anything else returns `undefined` and the caller
 * takes the tree path (`parser.ts`), which reads, reports and errs exactly as always.
 * Where it accepts, it reads lines as `parseDotenv(…, quotes = false)` does.
 */
import { isUtf8 } from "node:buffer";
import type { MapNode } from "../../tree/types.js";
import { unflattenMetadata } from "../flatten.js";

/** Kinds of line (`DotenvLines.eqs` holds the `=` offset of an entry instead). */
export const BLANK = -1;
export const COMMENT = -2;
/** A `sops_…` metadata line (not part of the data; dropped from the output). */
export const METADATA = -3;

export interface DotenvLines {
  readonly source: Buffer;
  readonly count: number;
  /** Line i is `source[starts[i]..ends[i])`, followed by LF unless it is the last, unterminated line. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The `=` offset of an entry line, or BLANK, COMMENT, METADATA. */
  readonly eqs: Int32Array;
  /** The `sops_…` lines as [key, value], in file order (what the parser collects). */
  readonly metadata: Array<[string, string]>;
}

/** What `looksEncrypted` checks, and then `data:`: a value worth reading as an ENC range. */
export const ENC_VALUE_PREFIX = "ENC[AES256_GCM,data:";

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** SOPS's reading of a value: each two-character `\n` is a newline (as `parser.ts`). */
export function readDotenvValue(buf: Uint8Array, start: number, end: number): string {
  const value = asBuffer(buf).toString("utf8", start, end);
  return value.includes("\\n") ? value.replaceAll("\\n", "\n") : value;
}

/** Whether `buf[at..end)` starts with the ASCII text `lit` (bytes compared, no string made). */
export function startsWithAscii(buf: Uint8Array, at: number, end: number, lit: string): boolean {
  if (end - at < lit.length) return false;
  for (let k = 0; k < lit.length; k++) if (buf[at + k] !== lit.charCodeAt(k)) return false;
  return true;
}

/** Whether `buf[from..to)` is ASCII whitespace only (what `trim()` removes, among ASCII). */
function blank(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c !== 32 && (c < 9 || c > 13)) return false;
  }
  return true;
}

/** The lines of `input`, or `undefined` when it is not in the plain shape (see above). */
export function scanDotenvLines(input: Uint8Array): DotenvLines | undefined {
  const buf = asBuffer(input);
  const len = buf.length;
  if (!isUtf8(buf)) return undefined;
  let count = 0;
  for (let pos = 0; pos < len; count++) {
    const end = buf.indexOf(10, pos);
    pos = end < 0 ? len : end + 1;
  }
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const eqs = new Int32Array(count);
  const metadata: Array<[string, string]> = [];
  let n = 0;
  for (let pos = 0, end = 0; pos < len; pos = end + 1, n++) {
    end = buf.indexOf(10, pos);
    if (end < 0) end = len;
    starts[n] = pos;
    ends[n] = end;
    const c = buf[pos];
    if (c === 35) eqs[n] = COMMENT;
    else if (c !== undefined && c >= 33 && c <= 126) {
      const eq = buf.indexOf(61, pos);
      if (eq < 0 || eq >= end) return undefined;
      eqs[n] = eq;
      if (startsWithAscii(buf, pos, eq, "sops_")) {
        eqs[n] = METADATA;
        metadata.push([buf.toString("utf8", pos, eq), readDotenvValue(buf, eq + 1, end)]);
      }
    } else if (blank(buf, pos, end)) eqs[n] = BLANK;
    else return undefined;
  }
  return { source: buf, count, starts, ends, eqs, metadata };
}

/** The document holding only the `sops` entry these lines make (as `index.ts` builds it). */
export function metadataDocument(lines: DotenvLines): MapNode {
  return { kind: "map", items: [{ kind: "entry", key: "sops", value: unflattenMetadata(lines.metadata, "sops_") }] };
}
