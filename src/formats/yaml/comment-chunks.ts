/**
 * Splits a run of own-line comments into "foot" and "head" chunks the way go-yaml v3's
 * scanner does (`yaml_parser_scan_comments`), because the chunk kind decides which
 * mapping or sequence SOPS puts each comment in, and that container is the comment's
 * AAD. The simulation keeps go-yaml's quirks on purpose (line counting that only
 * advances on visited breaks, so CRLF files split differently from LF ones).
 */
import { CH, type Cursor, isBlank, isBreak } from "./cursor.js";

export interface CommentLine {
  /** Index of `#`. */
  start: number;
  /** End of the comment text (before the line break). */
  end: number;
  /** 0-based column of `#`. */
  col: number;
}

export interface Chunk {
  kind: "foot" | "head";
  /** Foot of the previous token (`prior`) or positioned by its own start (`own`). */
  mark: "prior" | "own";
  lines: CommentLine[];
  /** 0-based column of the first line. */
  col: number;
  start: number;
  /** Where the scan that produced this chunk began (go-yaml `scan_mark`). */
  scanMark: number;
  end: number;
}

export interface ChunkInput {
  /** Index of the first `#`. */
  first: number;
  /** Line breaks between the previous token and the first `#`. */
  newlines: number;
  /** The previous token sits on the first line of the file (go-yaml then never splits on the foot line). */
  priorOnFirstLine: boolean;
  /** The previous token is a `key:` indicator with nothing after it. */
  priorIsValue: boolean;
  /** Column of the innermost open block collection (0 when none). */
  nextIndent: number;
  /** Where the whitespace scan started (right after the previous token). */
  scanStart: number;
}

/** Returns the chunks and the position of the first non-comment, non-blank character (or end). */
export function chunkComments(c: Cursor, input: ChunkInput): { chunks: Chunk[]; next: number } {
  const t = c.text;
  const chunks: Chunk[] = [];
  let base = input.first;
  let peek = 0;
  let column = c.column(base);
  let line = 0;
  // go-yaml re-reads the true line after each comment but only counts visited breaks.
  let trueLine = 0;
  const markColumn = column;
  let footLine = -1;
  if (!input.priorOnFirstLine) {
    footLine = line - input.newlines + 1;
    if (input.newlines === 0 && markColumn > 1) footLine++;
  }
  let recentEmpty = false;
  let firstEmpty = input.newlines <= 1;
  let scanMark = input.scanStart;
  let mark: "prior" | "own" = "prior";
  let lines: CommentLine[] = [];
  let startLine = 0;
  let startCol1 = 0;
  let startPos = 0;
  const nextIndent = input.nextIndent;

  const emitFoot = (at: number, own: boolean): void => {
    chunks.push({ kind: "foot", mark: own ? "own" : mark, lines, col: startCol1 - 1, start: startPos, scanMark, end: at });
    scanMark = at;
    mark = "own";
    lines = [];
  };

  let next = t.length;
  for (;;) {
    const q = base + peek;
    column++;
    const ch = t.charCodeAt(q);
    if (isBlank(ch)) {
      peek++;
      continue;
    }
    const end = Number.isNaN(ch);
    if (end || isBreak(ch)) {
      if (!recentEmpty) {
        const dedented = startCol1 - 1 < nextIndent;
        if (firstEmpty && ((startLine === footLine && !input.priorIsValue) || dedented)) {
          if (lines.length > 0) emitFoot(q, dedented);
        }
      }
      if (end) break;
      firstEmpty = false;
      recentEmpty = true;
      column = 0;
      line++;
      trueLine++;
      peek++;
      continue;
    }
    if (lines.length > 0 && column - 1 < nextIndent && column !== startCol1) emitFoot(q, false);
    if (ch !== CH.hash) {
      next = q;
      break;
    }
    if (lines.length === 0) {
      startLine = line;
      startCol1 = column;
      startPos = q;
    }
    recentEmpty = false;
    line = trueLine;
    const lineEnd = c.lineEnd(q);
    lines.push({ start: q, end: lineEnd, col: column - 1 });
    base = lineEnd;
    // go-yaml resumes one character after the comment: the LF of an LF break is never
    // visited (no line count, no split check), the LF of a CRLF break is.
    peek = 1;
    column = 0;
    if (t.charCodeAt(lineEnd) === CH.lf) trueLine++;
    if (lineEnd >= t.length) {
      // End of input right after the comment: go-yaml still sees the terminator.
      peek = 0;
    }
  }
  if (lines.length > 0) {
    chunks.push({ kind: "head", mark: "own", lines, col: startCol1 - 1, start: startPos, scanMark, end: next });
  }
  return { chunks, next };
}
