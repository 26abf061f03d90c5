/**
 * The four TOML string kinds: reading them (with escapes and line-ending backslashes)
 * and writing a value back in a given kind when that kind can hold it.
 */
import { CR, type Cursor, isForbiddenControl, LF, SPACE, TAB } from "./cursor.js";
import type { StrKind } from "./layout.js";

const QUOTE = 0x22;
const APOS = 0x27;
const BACKSLASH = 0x5c;

/** A string value and the kind it was written as. */
export interface ParsedString {
  value: string;
  kind: StrKind;
}

/** Read any string at the cursor (`"`, `'`, `"""`, `'''`). `multiline: false` for keys. */
export function readString(cur: Cursor, multiline = true): ParsedString {
  const q = cur.code();
  const triple = cur.code(1) === q && cur.code(2) === q;
  if (triple) {
    if (!multiline) cur.fail("multi-line strings cannot be keys", "use a \"basic\" or 'literal' string for the key");
    return q === QUOTE ? { value: readMlBasic(cur), kind: "ml-basic" } : { value: readMlLiteral(cur), kind: "ml-literal" };
  }
  return q === QUOTE ? { value: readBasic(cur), kind: "basic" } : { value: readLiteral(cur), kind: "literal" };
}

function unterminated(cur: Cursor, start: number): never {
  return cur.fail("unterminated string", "close the string with its opening quote(s)", start);
}

/** Characters that end a run of plain text in a basic / literal string. */
// eslint-disable-next-line no-control-regex
const BASIC_SPECIAL = /["\\\x00-\x08\x0a-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex
const LITERAL_SPECIAL = /['\x00-\x08\x0a-\x1f\x7f]/g;

function readBasic(cur: Cursor): string {
  const { text } = cur;
  const start = cur.pos;
  let out = "";
  let p = start + 1;
  for (;;) {
    BASIC_SPECIAL.lastIndex = p;
    const m = BASIC_SPECIAL.exec(text);
    if (!m) unterminated(cur, start);
    const q = m.index;
    const c = text.charCodeAt(q);
    out += text.slice(p, q);
    if (c === QUOTE) {
      cur.pos = q + 1;
      return out;
    }
    if (c === BACKSLASH) {
      cur.pos = q;
      out += readEscape(cur);
      p = cur.pos;
      continue;
    }
    if (c === LF || c === CR) unterminated(cur, start);
    cur.fail("control character in string", "escape it (\\u00XX)", q);
  }
}

function readLiteral(cur: Cursor): string {
  const { text } = cur;
  const start = cur.pos;
  LITERAL_SPECIAL.lastIndex = start + 1;
  const m = LITERAL_SPECIAL.exec(text);
  if (!m) unterminated(cur, start);
  const q = m.index;
  const c = text.charCodeAt(q);
  if (c === LF || c === CR) unterminated(cur, start);
  if (c !== APOS) cur.fail("control character in string", "use a \"basic\" string with an escape", q);
  cur.pos = q + 1;
  return text.slice(start + 1, q);
}

/** Skip the newline right after an opening `"""`/`'''` (it is not part of the value). */
function skipFirstNewline(cur: Cursor): void {
  if (cur.code() === LF) cur.pos++;
  else if (cur.code() === CR && cur.code(1) === LF) cur.pos += 2;
}

/**
 * At a run of `q` quotes inside a multi-line string: returns the quotes that belong to the
 * value and whether the run closes the string (a closing run of 4–5 quotes gives 1–2 to
 * the value).
 */
function quoteRun(cur: Cursor, q: number): { quotes: string; closes: boolean } {
  let n = 0;
  while (cur.code(n) === q) n++;
  if (n > 5) cur.fail("too many quotes at the end of a multi-line string", "escape one of them", cur.pos + 5);
  cur.pos += n;
  const closes = n >= 3;
  return { quotes: String.fromCharCode(q).repeat(closes ? n - 3 : n), closes };
}

function readMlBasic(cur: Cursor): string {
  const start = cur.pos;
  cur.pos += 3;
  skipFirstNewline(cur);
  let out = "";
  for (;;) {
    if (cur.pos >= cur.len) unterminated(cur, start);
    const c = cur.code();
    if (c === QUOTE) {
      const run = quoteRun(cur, QUOTE);
      out += run.quotes;
      if (run.closes) return out;
    } else if (c === BACKSLASH) {
      const next = cur.code(1);
      if (next === SPACE || next === TAB || next === LF || next === CR) {
        trimLineEnding(cur);
      } else {
        out += readEscape(cur);
      }
    } else if (c === LF) {
      out += "\n";
      cur.pos++;
    } else if (c === CR) {
      if (cur.code(1) !== LF) cur.fail("carriage return not followed by a line feed", "use \\r to put a CR in a string");
      out += "\n";
      cur.pos += 2;
    } else {
      if (isForbiddenControl(c)) cur.fail("control character in string", "escape it (\\u00XX)");
      out += cur.text[cur.pos];
      cur.pos++;
    }
  }
}

/** A backslash at a line end: drop it and every space, tab and newline after it. */
function trimLineEnding(cur: Cursor): void {
  const at = cur.pos;
  cur.pos++;
  cur.ws();
  if (!cur.atEol() || cur.pos >= cur.len) cur.fail("invalid escape: \\ followed by a space", "remove the backslash", at);
  for (;;) {
    const c = cur.code();
    if (c === SPACE || c === TAB || c === LF) cur.pos++;
    else if (c === CR && cur.code(1) === LF) cur.pos += 2;
    else break;
  }
}

function readMlLiteral(cur: Cursor): string {
  const start = cur.pos;
  cur.pos += 3;
  skipFirstNewline(cur);
  let out = "";
  for (;;) {
    if (cur.pos >= cur.len) unterminated(cur, start);
    const c = cur.code();
    if (c === APOS) {
      const run = quoteRun(cur, APOS);
      out += run.quotes;
      if (run.closes) return out;
    } else if (c === CR) {
      if (cur.code(1) !== LF) cur.fail("carriage return not followed by a line feed", "use a basic string with \\r");
      out += "\n";
      cur.pos += 2;
    } else {
      if (c !== LF && isForbiddenControl(c)) cur.fail("control character in string", "use a basic string with an escape");
      out += cur.text[cur.pos];
      cur.pos++;
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };

/** Read one escape sequence at a backslash. */
function readEscape(cur: Cursor): string {
  const at = cur.pos;
  const ch = cur.text[at + 1] ?? "";
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) {
    cur.pos = at + 2;
    return simple;
  }
  if (ch === "u" || ch === "U") {
    const n = ch === "u" ? 4 : 8;
    const hex = cur.text.slice(at + 2, at + 2 + n);
    if (hex.length !== n || !/^[0-9A-Fa-f]+$/.test(hex)) cur.fail(`invalid \\${ch} escape: needs ${n} hex digits`, "e.g. \\u00E9 or \\U0001F600", at);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cur.fail("escape is not a unicode scalar value", "use a code point up to 10FFFF that is not a surrogate (D800-DFFF)", at);
    cur.pos = at + 2 + n;
    return String.fromCodePoint(cp);
  }
  return cur.fail("invalid escape sequence", 'valid escapes: \\b \\t \\n \\f \\r \\" \\\\ \\uXXXX \\UXXXXXXXX', at);
}

// ---- writing ----

function escapeChar(c: number): string {
  switch (c) {
    case 0x08:
      return "\\b";
    case 0x09:
      return "\\t";
    case 0x0a:
      return "\\n";
    case 0x0c:
      return "\\f";
    case 0x0d:
      return "\\r";
    case QUOTE:
      return '\\"';
    case BACKSLASH:
      return "\\\\";
    default:
      return "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  }
}

/** `"…"` with escapes. */
export function writeBasic(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\x00-\x1f\x7f]/.test(value)) return '"' + value + '"';
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c === QUOTE || c === BACKSLASH || c < 0x20 || c === 0x7f ? escapeChar(c) : value[i];
  }
  return out + '"';
}

/** `"""` + newline + value + `"""`; newlines raw, a third quote in a row escaped. */
export function writeMlBasic(value: string, eol: string, leadingNewline: boolean): string {
  let out = '"""' + (leadingNewline || value.startsWith("\n") ? eol : "");
  let quotes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === QUOTE) {
      quotes++;
      out += quotes === 3 ? '\\"' : '"';
      if (quotes === 3) quotes = 0;
      continue;
    }
    quotes = 0;
    if (c === LF) out += eol;
    else if (c === BACKSLASH || (c !== TAB && c < 0x20) || c === 0x7f) out += escapeChar(c);
    else out += value[i];
  }
  return out + '"""';
}

function hasControl(value: string, allowNewline: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === LF && allowNewline) continue;
    if (isForbiddenControl(c)) return true;
  }
  return false;
}

/**
 * Write `value` as `kind` if that kind can hold it, else null. `leadingNewline` keeps the
 * newline after an opening `"""`/`'''` when the original had one.
 */
export function writeString(value: string, kind: StrKind, eol: string, leadingNewline = false): string | null {
  switch (kind) {
    case "basic":
      return writeBasic(value);
    case "literal":
      return value.includes("'") || hasControl(value, false) ? null : "'" + value + "'";
    case "ml-basic":
      return writeMlBasic(value, eol, leadingNewline);
    case "ml-literal": {
      if (value.includes("'''") || hasControl(value, true)) return null;
      const body = eol === "\n" ? value : value.replaceAll("\n", eol);
      return "'''" + (leadingNewline || value.startsWith("\n") ? eol : "") + body + "'''";
    }
  }
}

/** Did the literal `raw` (a multi-line string) start with a newline after its opener? */
export function hasLeadingNewline(raw: string): boolean {
  return raw.length > 3 && (raw.charCodeAt(3) === LF || (raw.charCodeAt(3) === CR && raw.charCodeAt(4) === LF));
}
