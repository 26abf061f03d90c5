/**
 * Literal (`|`) and folded (`>`) block scalars, read as libyaml does: optional
 * indentation indicator and chomping in either order, auto-detected indentation
 * (at least one more than the enclosing block), folding of "normal" lines only.
 */
import { CH, type Cursor, isBlank, isBlankOrEnd, isBreak } from "./cursor.js";

export type Chomping = "strip" | "clip" | "keep";

export interface BlockScalar {
  value: string;
  literal: boolean;
  chomping: Chomping;
  /** The indentation indicator digit as written, if any. */
  indicator: string | undefined;
  /** Column of the content lines. */
  indent: number;
  start: number;
  /** End of the scalar's span (see `scanBlockScalar`). */
  end: number;
  /** Position of a `#` comment on the header line, or -1. */
  headerComment: number;
}

/**
 * Scan a block scalar whose indicator (`|`/`>`) is at `start`. `parentIndent` is the
 * enclosing block's column (-1 at top level). The span ends after the last content
 * line (strip/clip) or before the last line break that belongs to the value (keep),
 * so replacing the span keeps the line structure around it.
 */
export function scanBlockScalar(c: Cursor, start: number, parentIndent: number): BlockScalar {
  const t = c.text;
  const literal = t.charCodeAt(start) === CH.pipe;
  let i = start + 1;
  let chomping: Chomping = "clip";
  let indicator: string | undefined;
  for (let n = 0; n < 2; n++) {
    const ch = t.charCodeAt(i);
    if ((ch === 0x2b || ch === CH.dash) && chomping === "clip") {
      chomping = ch === CH.dash ? "strip" : "keep";
      i++;
    } else if (ch >= 0x30 && ch <= 0x39 && indicator === undefined) {
      if (ch === 0x30) throw c.error(i, "found an indentation indicator equal to 0 while scanning a block scalar");
      indicator = t[i];
      i++;
    }
  }
  const afterHeader = c.skipBlanks(i);
  let headerComment = -1;
  if (t.charCodeAt(afterHeader) === CH.hash && afterHeader > i) headerComment = afterHeader;
  else if (!isBlankOrEnd(t.charCodeAt(afterHeader)) || (afterHeader === i && !isBlankOrEnd(t.charCodeAt(i)))) {
    throw c.error(afterHeader, "did not find expected comment or line break while scanning a block scalar");
  }
  const headerEnd = c.lineEnd(afterHeader);
  let indent = indicator ? (parentIndent >= 0 ? parentIndent : 0) + Number(indicator) : 0;

  // Leading empty lines (and auto-detection of the indentation).
  let pos = c.afterBreak(headerEnd);
  let trailing = "";
  let maxIndent = 0;
  const atEndOfHeader = pos === headerEnd; // no line break: the scalar is empty at end of input
  if (!atEndOfHeader) {
    for (;;) {
      let col = 0;
      while (t.charCodeAt(pos + col) === CH.space && (indent === 0 || col < indent)) col++;
      if (col > maxIndent) maxIndent = col;
      if (t.charCodeAt(pos + col) === CH.tab && (indent === 0 || col < indent) && isBreak(t.charCodeAt(c.skipBlanks(pos + col))) === false) {
        throw c.error(pos + col, "found a tab character where an indentation space is expected");
      }
      if (!isBreak(t.charCodeAt(pos + col))) break;
      trailing += "\n";
      pos = c.afterBreak(pos + col);
    }
  }
  if (indent === 0) indent = Math.max(maxIndent, parentIndent + 1, 1);

  let value = "";
  let leadingBreak = "";
  let leadingBlank = false;
  let end = headerEnd;
  let lastBreakAt = -1;
  let hasContent = false;
  while (!atEndOfHeader && pos < t.length) {
    let col = 0;
    while (col < indent && t.charCodeAt(pos + col) === CH.space) col++;
    if (col < indent) {
      // Fewer spaces: an empty line keeps the scalar going, anything else ends it.
      const s = c.skipSpaces(pos + col);
      if (isBreak(t.charCodeAt(s))) {
        trailing += "\n";
        lastBreakAt = s;
        pos = c.afterBreak(s);
        continue;
      }
      break;
    }
    const lineStart = pos + col;
    const lineEnd = c.lineEnd(lineStart);
    if (lineStart === lineEnd) {
      trailing += "\n";
      lastBreakAt = lineEnd;
      pos = c.afterBreak(lineEnd);
      if (pos === lineEnd) break;
      continue;
    }
    const trailingBlank = isBlank(t.charCodeAt(lineStart));
    if (!literal && leadingBreak === "\n" && !leadingBlank && !trailingBlank) {
      if (trailing === "") value += " ";
      leadingBreak = "";
    } else {
      value += leadingBreak;
      leadingBreak = "";
    }
    value += trailing;
    trailing = "";
    leadingBlank = trailingBlank;
    value += t.slice(lineStart, lineEnd);
    hasContent = true;
    end = lineEnd;
    lastBreakAt = -1;
    if (lineEnd >= t.length) break;
    leadingBreak = "\n";
    lastBreakAt = lineEnd;
    pos = c.afterBreak(lineEnd);
  }
  if (chomping !== "strip") value += leadingBreak;
  if (chomping === "keep") {
    value += trailing;
    if (lastBreakAt >= 0) end = lastBreakAt;
  }
  if (!hasContent && chomping !== "keep") end = headerEnd;
  return { value, literal, chomping, indicator, indent, start, end, headerComment };
}
