/**
 * dotenv parsing. Base semantics are SOPS's (split on LF, `#` lines are comments,
 * `KEY=VALUE` split at the first `=`, no trimming, `export ` stays part of the key,
 * two-char `\n` → newline). In plain mode sobre also accepts a quoted value spanning
 * several lines (see index.ts); encrypted files are always read exactly as SOPS does.
 *
 * The input is scanned as bytes and only keys and values are decoded (each its own
 * string): no copy of the whole file as text and no array of lines stays alive while a
 * 100k-value file is processed. Every delimiter (LF, `=`, `#`, quotes, `\`) is ASCII,
 * so byte offsets split UTF-8 exactly where the text would split.
 */
import { isUtf8 } from "node:buffer";
import { FormatError } from "../../errors.js";
import { EncRanges } from "../../tree/enc-ranges.js";
import { ENC_VALUE_PREFIX, startsWithAscii } from "./stream-scan.js";
import type { Comment, Leaf, MapEntry, MapNode, ScalarValue } from "../../tree/types.js";
import { DotenvCommentSrc, DotenvDocSrc, DotenvEntrySrc, PLAIN_LINE, type DotenvRawLine } from "./layout.js";

const METADATA_PREFIX = "sops_";

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** SOPS's reading of a value: each two-character `\n` is a newline. */
function unescapeText(value: string): string {
  return value.includes("\\n") ? value.replaceAll("\\n", "\n") : value;
}

/** Replace the two bytes `\n` with a newline byte (SOPS does it on the raw line). */
function unescapeBytes(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 92 && bytes[i + 1] === 110) {
      out.push(10);
      i++;
    } else out.push(bytes[i]!);
  }
  return Uint8Array.from(out);
}

/** Offset just after the quote closing the one at `open` (a `\` escapes in `"…"`), or -1. */
function closingQuote(buf: Uint8Array, open: number): number {
  const quote = buf[open];
  for (let i = open + 1; i < buf.length; i++) {
    const c = buf[i];
    if (quote === 34 && c === 92) i++;
    else if (c === quote) return i + 1;
  }
  return -1;
}

/** A value as this parser reads it (unquoted, SOPS's `\\n`). */
function readRange(buf: Uint8Array, start: number, end: number): string {
  return unescapeText(asBuffer(buf).toString("utf8", start, end));
}

function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10) n++;
  return n;
}

export interface ParsedDotenv {
  doc: MapNode;
  /** Data entries whose key starts with `sops_` (flattened metadata), in file order. */
  metadata: Array<[string, string]>;
}

/** Parse dotenv bytes. `quotes`: read quoted values (plain mode); off = SOPS's literal reading. */
export function parseDotenv(input: Uint8Array, file: string, quotes: boolean, encRanges?: (ranges: EncRanges) => void): ParsedDotenv {
  const buf = asBuffer(input);
  // Decrypt path: ENC values stay byte ranges of the input (read back as this parser would).
  const ranges = encRanges && !quotes ? new EncRanges(buf, readRange) : undefined;
  if (ranges) encRanges!(ranges);
  const len = buf.length;
  const allUtf8 = isUtf8(buf);
  const items: (MapEntry | Comment)[] = [];
  const metadata: Array<[string, string]> = [];
  // Blank lines before the next item; `carry`: those before removed metadata lines, which
  // move to the next kept item (or the end).
  let pre = "";
  let carry = "";
  const addEntry = (key: string, value: ScalarValue, eol: string, multiline = false, raw?: DotenvRawLine, leaf?: Leaf): void => {
    if (key.startsWith(METADATA_PREFIX)) {
      metadata.push([key, value.type === "str" ? value.value : new TextDecoder().decode((value as { value: Uint8Array }).value)]);
      carry += pre;
    } else {
      const before = carry + pre;
      const src = before === "" && eol === "\n" && !multiline && !raw ? PLAIN_LINE : new DotenvEntrySrc(before, eol, multiline, raw);
      items.push({ kind: "entry", key, value: leaf ?? { kind: "leaf", value }, src });
      carry = "";
    }
    pre = "";
  };
  const addComment = (text: string, raw: string | Uint8Array, eol: string): void => {
    items.push({ kind: "comment", text, src: new DotenvCommentSrc(carry + pre, raw, eol, false, text) });
    carry = pre = "";
  };
  /** A line that is not valid UTF-8: literal SOPS reading on bytes, the value stays bytes. */
  const bytesLine = (line: Uint8Array, eol: string, at: number): void => {
    if (line[0] === 35) {
      addComment(new TextDecoder().decode(line.subarray(1)), line, eol);
      return;
    }
    const eq = line.indexOf(61);
    if (eq < 0) throw lineError(file, at);
    const key = new TextDecoder().decode(line.subarray(0, eq));
    const value: ScalarValue = { type: "bytes", value: unescapeBytes(line.subarray(eq + 1)) };
    addEntry(key, value, eol, false, { head: line, key, orig: value });
  };

  let n = 0; // line number, for errors
  for (let pos = 0, end = 0; pos < len; pos = end + 1, n++) {
    end = buf.indexOf(10, pos);
    if (end < 0) end = len;
    const eol = end < len ? "\n" : "";
    if (!allUtf8 && !isUtf8(buf.subarray(pos, end))) {
      bytesLine(buf.subarray(pos, end), eol, n);
      continue;
    }
    const c = buf[pos]!;
    let key: string;
    let eq: number;
    if (c >= 33 && c <= 126 && c !== 35) {
      // The usual line: starts with a key character, so it is neither blank nor a comment.
      eq = buf.indexOf(61, pos);
      if (eq < 0 || eq >= end) throw lineError(file, n);
      key = buf.toString("utf8", pos, eq);
    } else {
      const line = buf.toString("utf8", pos, end);
      if (line.trim() === "") {
        pre += line + eol;
        continue;
      }
      const hash = line.indexOf("#");
      if (hash === 0 || (hash > 0 && line.slice(0, hash).trim() === "")) {
        addComment(line.slice(hash + 1), line, eol);
        continue;
      }
      const eqChar = line.indexOf("=");
      if (eqChar < 0) throw lineError(file, n);
      key = line.slice(0, eqChar);
      eq = buf.indexOf(61, pos);
    }
    const open = buf[eq + 1];
    if (quotes && (open === 34 || open === 39)) {
      // A quoted value spanning several lines (SOPS rejects such files): one value made of
      // the lines joined with newlines, kept literally like every other dotenv value.
      const close = closingQuote(buf, eq + 1);
      if (close > end) {
        let last = buf.indexOf(10, close);
        if (last < 0) last = len;
        if (allUtf8 || isUtf8(buf.subarray(pos, last))) {
          const head = buf.toString("utf8", pos, last);
          const value: ScalarValue = { type: "str", value: unescapeText(head.slice(key.length + 1)) };
          addEntry(key, value, last < len ? "\n" : "", true, { head, key, orig: value });
          n += countNewlines(buf, pos, last);
          end = last;
          continue;
        }
      }
    }
    if (ranges && startsWithAscii(buf, eq + 1, end, ENC_VALUE_PREFIX) && !key.startsWith(METADATA_PREFIX)) {
      const leaf = ranges.add(eq + 1, end);
      addEntry(key, leaf.value, eol, false, undefined, leaf);
      continue;
    }
    addEntry(key, { type: "str", value: readRange(buf, eq + 1, end) }, eol);
  }
  return { doc: { kind: "map", items, src: new DotenvDocSrc(carry + pre) }, metadata };
}

function lineError(file: string, n: number): FormatError {
  return new FormatError(`${file}:${n + 1}:1: invalid dotenv line: expected KEY=VALUE or a # comment`, {
    position: { line: n + 1, column: 1 },
    hint: "every non-empty line must be KEY=VALUE or start with #",
  });
}
