/**
 * Scanners for the four scalar syntaxes (plain, single-quoted, double-quoted, block),
 * following libyaml's rules for folding, escapes, chomping and indentation so values
 * match what go-yaml reads.
 */
import { CH, type Cursor, isBlank, isBlankOrEnd, isBreak, isFlowIndicator } from "./cursor.js";

export interface ScannedScalar {
  value: string;
  /** Start of the scalar text (quote or header included). */
  start: number;
  /** End of the scalar text (after the closing quote / last content character). */
  end: number;
  /** Spans more than one line. */
  multiline: boolean;
}

/** True at a `---` or `...` marker at the start of a line. */
export function isDocumentMarker(c: Cursor, at: number): boolean {
  const t = c.text;
  if (at !== c.lineStart(at)) return false;
  const ch = t.charCodeAt(at);
  if (ch !== CH.dash && ch !== CH.dot) return false;
  return t.charCodeAt(at + 1) === ch && t.charCodeAt(at + 2) === ch && isBlankOrEnd(t.charCodeAt(at + 3));
}

/** True where a plain scalar stops inside a line. */
function plainStops(c: Cursor, i: number, flow: boolean): boolean {
  const ch = c.text.charCodeAt(i);
  if (Number.isNaN(ch) || isBreak(ch)) return true;
  // libyaml ends a plain scalar at `:` only before white space, also in flow context.
  if (ch === CH.colon) return isBlankOrEnd(c.text.charCodeAt(i + 1));
  if (ch === CH.hash) return isBlank(c.text.charCodeAt(i - 1));
  return flow && isFlowIndicator(ch);
}

/**
 * Scan a plain scalar at `start`. Continuation lines must be indented more than
 * `parentIndent` (block context); `singleLine` is used for implicit keys.
 */
export function scanPlain(c: Cursor, start: number, parentIndent: number, flow: boolean, singleLine = false): ScannedScalar {
  const t = c.text;
  let value = "";
  let i = start;
  let end = start;
  let multiline = false;
  for (;;) {
    // One line of content.
    let lineStart = i;
    while (!plainStops(c, i, flow)) i++;
    // Trim trailing blanks of this line.
    let j = i;
    while (j > lineStart && isBlank(t.charCodeAt(j - 1))) j--;
    value += t.slice(lineStart, j);
    if (j > lineStart) end = j;
    const ch = t.charCodeAt(i);
    if (singleLine || !isBreak(ch)) break;
    // Look ahead over empty lines to the next content line.
    let k = c.afterBreak(i);
    let breaks = 0;
    let contentAt = -1;
    for (;;) {
      const s = c.skipBlanks(k);
      const sc = t.charCodeAt(s);
      if (isBreak(sc)) {
        breaks++;
        k = c.afterBreak(s);
        continue;
      }
      if (!Number.isNaN(sc)) contentAt = s;
      break;
    }
    if (contentAt < 0) break;
    const lineBegin = c.lineStart(contentAt);
    const spaces = c.skipSpaces(lineBegin) - lineBegin;
    if (!flow && spaces <= parentIndent) break;
    if (t.charCodeAt(contentAt) === CH.hash) break;
    if (isDocumentMarker(c, lineBegin) && contentAt === lineBegin) break;
    if (flow && (isFlowIndicator(t.charCodeAt(contentAt)) || plainStops(c, contentAt, flow))) break;
    value += breaks === 0 ? " " : "\n".repeat(breaks);
    multiline = true;
    i = contentAt;
    lineStart = i;
  }
  return { value, start, end, multiline };
}

/** Fold the line break(s) inside a quoted scalar starting at `i`; returns [text, next index]. */
function foldQuotedBreak(c: Cursor, i: number): [string, number] {
  const t = c.text;
  let k = c.afterBreak(i);
  let breaks = 0;
  for (;;) {
    const s = c.skipBlanks(k);
    if (isBreak(t.charCodeAt(s))) {
      breaks++;
      k = c.afterBreak(s);
      continue;
    }
    if (isDocumentMarker(c, k)) throw c.error(k, "found unexpected document indicator while scanning a quoted scalar");
    return [breaks === 0 ? " " : "\n".repeat(breaks), s];
  }
}

export function scanSingleQuoted(c: Cursor, start: number): ScannedScalar {
  const t = c.text;
  let value = "";
  let i = start + 1;
  let runStart = i;
  let multiline = false;
  for (;;) {
    const ch = t.charCodeAt(i);
    if (Number.isNaN(ch)) throw c.error(start, "found unexpected end of stream while scanning a quoted scalar");
    if (ch === CH.squote) {
      if (t.charCodeAt(i + 1) === CH.squote) {
        value += t.slice(runStart, i + 1);
        i += 2;
        runStart = i;
        continue;
      }
      value += t.slice(runStart, i);
      return { value, start, end: i + 1, multiline };
    }
    if (isBreak(ch) || isBlank(ch)) {
      let j = i;
      while (isBlank(t.charCodeAt(j))) j++;
      if (isBreak(t.charCodeAt(j))) {
        value += t.slice(runStart, i);
        const [folded, next] = foldQuotedBreak(c, j);
        value += folded;
        multiline = true;
        i = next;
        runStart = i;
        continue;
      }
      i = j;
      continue;
    }
    i++;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

export function scanDoubleQuoted(c: Cursor, start: number): ScannedScalar {
  const t = c.text;
  let value = "";
  let i = start + 1;
  let runStart = i;
  let multiline = false;
  for (;;) {
    const ch = t.charCodeAt(i);
    if (Number.isNaN(ch)) throw c.error(start, "found unexpected end of stream while scanning a quoted scalar");
    if (ch === CH.dquote) {
      value += t.slice(runStart, i);
      return { value, start, end: i + 1, multiline };
    }
    if (ch === CH.backslash) {
      value += t.slice(runStart, i);
      const e = t[i + 1] ?? "";
      if (isBreak(t.charCodeAt(i + 1))) {
        // Escaped line break: join without a space, skip the next line's indentation.
        let k = c.afterBreak(i + 1);
        for (;;) {
          const s = c.skipBlanks(k);
          if (isBreak(t.charCodeAt(s))) {
            value += "\n";
            k = c.afterBreak(s);
            continue;
          }
          i = s;
          break;
        }
        multiline = true;
        runStart = i;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        i += 2;
      } else if (HEX_LENGTH[e]) {
        const n = HEX_LENGTH[e];
        const hex = t.slice(i + 2, i + 2 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) {
          throw c.error(i, "did not find expected hexdecimal number while parsing a quoted scalar");
        }
        const cp = parseInt(hex, 16);
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
          throw c.error(i, "found invalid Unicode character escape code while parsing a quoted scalar");
        }
        value += String.fromCodePoint(cp);
        i += 2 + n;
      } else {
        throw c.error(i, "found unknown escape character while parsing a quoted scalar");
      }
      runStart = i;
      continue;
    }
    if (isBreak(ch) || isBlank(ch)) {
      let j = i;
      while (isBlank(t.charCodeAt(j))) j++;
      if (isBreak(t.charCodeAt(j))) {
        value += t.slice(runStart, i);
        const [folded, next] = foldQuotedBreak(c, j);
        value += folded;
        multiline = true;
        i = next;
        runStart = i;
        continue;
      }
      i = j;
      continue;
    }
    i++;
  }
}
