/**
 * dotenv parsing. Base semantics are SOPS's (split on LF, `#` lines are comments,
 * `KEY=VALUE` split at the first `=`, no trimming, `export ` stays part of the key,
 * two-char `\n` → newline). In plain mode sobre also accepts a quoted value spanning
 * several lines (see index.ts); encrypted files are always read exactly as SOPS does.
 */
import { FormatError } from "../../errors.js";
import type { Comment, MapEntry, MapNode, ScalarValue } from "../../tree/types.js";
import { DotenvCommentSrc, DotenvDocSrc, DotenvEntrySrc, type RawText } from "./layout.js";

const BACKSLASH_N = /\\n/g;

/** Split input into lines (LF only); lines that are not valid UTF-8 stay bytes. */
function splitLines(input: Uint8Array): { lines: RawText[]; finalNewline: boolean } {
  const finalNewline = input.length > 0 && input[input.length - 1] === 10;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
    const lines = text.split("\n");
    if (finalNewline || text === "") lines.pop();
    return { lines, finalNewline };
  } catch {
    const lines: RawText[] = [];
    const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    let start = 0;
    for (let i = 0; i <= input.length; i++) {
      if (i < input.length && input[i] !== 10) continue;
      if (i === input.length && start === i) break;
      const bytes = input.subarray(start, i);
      try {
        lines.push(strict.decode(bytes));
      } catch {
        lines.push(bytes);
      }
      start = i + 1;
    }
    return { lines, finalNewline };
  }
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

interface Quoted {
  /** Index of the line holding the closing quote, and the column just after it. */
  endLine: number;
  endCol: number;
}

/** Find the closing quote of a value starting at `lines[at]`, column `col` (the opening quote). */
function scanQuoted(lines: RawText[], at: number, col: number): Quoted | undefined {
  const first = lines[at] as string;
  const quote = first[col]!;
  let line = first;
  let from = col + 1;
  for (let n = at; n < lines.length; ) {
    let i = from;
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) break;
    }
    if (i < line.length) return { endLine: n, endCol: i + 1 };
    n++;
    const next = lines[n];
    if (typeof next !== "string") return undefined;
    line = next;
    from = 0;
  }
  return undefined;
}

export interface ParsedDotenv {
  doc: MapNode;
  /** Data entries whose key starts with `sops_` (flattened metadata), in file order. */
  metadata: Array<[string, string]>;
}

/** Parse dotenv bytes. `quotes`: read quoted values (plain mode); off = SOPS's literal reading. */
export function parseDotenv(input: Uint8Array, file: string, quotes: boolean): ParsedDotenv {
  const { lines, finalNewline } = splitLines(input);
  const items: (MapEntry | Comment)[] = [];
  const metadata: Array<[string, string]> = [];
  let pre = "";
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const eol = n === lines.length - 1 && !finalNewline ? "" : "\n";
    if (typeof line !== "string") {
      // Not valid UTF-8: literal SOPS reading on bytes, the value stays bytes.
      if (line[0] === 35) {
        const text = new TextDecoder().decode(line.subarray(1));
        items.push({ kind: "comment", text, src: new DotenvCommentSrc(pre, line, eol, false, text) });
      } else {
        const eq = line.indexOf(61);
        if (eq < 0) throw lineError(file, n);
        const key = new TextDecoder().decode(line.subarray(0, eq));
        const value: ScalarValue = { type: "bytes", value: unescapeBytes(line.subarray(eq + 1)) };
        const src = new DotenvEntrySrc(pre, line, "", eol, "", false, key, value);
        items.push({ kind: "entry", key, value: { kind: "leaf", value }, src });
      }
      pre = "";
      continue;
    }
    if (line.trim() === "") {
      pre += line + eol;
      continue;
    }
    const hash = line.indexOf("#");
    if (hash === 0 || (hash > 0 && line.slice(0, hash).trim() === "")) {
      const text = line.slice(hash + 1);
      items.push({ kind: "comment", text, src: new DotenvCommentSrc(pre, line, eol, false, text) });
      pre = "";
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw lineError(file, n);
    const key = line.slice(0, eq);
    const open = line[eq + 1];
    if (quotes && (open === '"' || open === "'")) {
      // A quoted value spanning several lines (SOPS rejects such files): one value made of
      // the lines joined with newlines, kept literally like every other dotenv value.
      const q = scanQuoted(lines, n, eq + 1);
      if (q && q.endLine > n) {
        const head = lines.slice(n, q.endLine + 1).join("\n");
        const lineEol = q.endLine === lines.length - 1 && !finalNewline ? "" : "\n";
        const value: ScalarValue = { type: "str", value: head.slice(eq + 1).replace(BACKSLASH_N, "\n") };
        const src = new DotenvEntrySrc(pre, head, "", lineEol, open, true, key, value);
        items.push({ kind: "entry", key, value: { kind: "leaf", value }, src });
        pre = "";
        n = q.endLine;
        continue;
      }
    }
    const value: ScalarValue = { type: "str", value: line.slice(eq + 1).replace(BACKSLASH_N, "\n") };
    items.push({ kind: "entry", key, value: { kind: "leaf", value }, src: new DotenvEntrySrc(pre, line, "", eol, "", false, key, value) });
    pre = "";
  }
  const data: (MapEntry | Comment)[] = [];
  // Blank lines before removed metadata lines move to the next kept line (or the end).
  let carry = "";
  for (const item of items) {
    if (item.kind === "entry" && item.key.startsWith("sops_")) {
      const v = (item.value as { value: ScalarValue }).value;
      metadata.push([item.key, v.type === "str" ? v.value : new TextDecoder().decode((v as { value: Uint8Array }).value)]);
      carry += (item.src as DotenvEntrySrc).pre;
      continue;
    }
    if (carry) item.src = withPre(item.src as DotenvEntrySrc | DotenvCommentSrc, carry);
    carry = "";
    data.push(item);
  }
  return { doc: { kind: "map", items: data, src: new DotenvDocSrc(carry + pre) }, metadata };
}

function withPre(src: DotenvEntrySrc | DotenvCommentSrc, carry: string): DotenvEntrySrc | DotenvCommentSrc {
  if (src instanceof DotenvCommentSrc) return new DotenvCommentSrc(carry + src.pre, src.raw, src.eol, src.inline, src.orig);
  return new DotenvEntrySrc(carry + src.pre, src.head, src.trail, src.eol, src.quote, src.multiline, src.key, src.orig);
}

function lineError(file: string, n: number): FormatError {
  return new FormatError(`${file}:${n + 1}:1: invalid dotenv line: expected KEY=VALUE or a # comment`, {
    position: { line: n + 1, column: 1 },
    hint: "every non-empty line must be KEY=VALUE or start with #",
  });
}
