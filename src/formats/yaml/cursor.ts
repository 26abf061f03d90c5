/**
 * Character-level state shared by the fast-path scanners: the text, a position, and
 * positioned errors. Everything works on UTF-16 code units of the decoded text; the
 * line/column of an error is computed only when one is thrown.
 */
import { FormatError } from "../../errors.js";

/** The fast path met a construct it does not handle; the caller retries with the `yaml` package. */
export class Unsupported extends Error {
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(reason);
  }
}

export const CH = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  bang: 33,
  dquote: 34,
  hash: 35,
  percent: 37,
  amp: 38,
  squote: 39,
  star: 42,
  comma: 44,
  dash: 45,
  dot: 46,
  colon: 58,
  gt: 62,
  question: 63,
  at: 64,
  lbracket: 91,
  backslash: 92,
  rbracket: 93,
  backtick: 96,
  lbrace: 123,
  pipe: 124,
  rbrace: 125,
} as const;

export function isBreak(c: number): boolean {
  return c === CH.lf || c === CH.cr;
}
export function isBlank(c: number): boolean {
  return c === CH.space || c === CH.tab;
}
/** Blank, break or end of input (NaN from charCodeAt past the end). */
export function isBlankOrEnd(c: number): boolean {
  return c === CH.space || c === CH.tab || c === CH.lf || c === CH.cr || Number.isNaN(c);
}
export function isFlowIndicator(c: number): boolean {
  return c === CH.comma || c === CH.lbracket || c === CH.rbracket || c === CH.lbrace || c === CH.rbrace;
}

export class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  code(at = this.pos): number {
    return this.text.charCodeAt(at);
  }

  atEnd(at = this.pos): boolean {
    return at >= this.text.length;
  }

  /** Index of the line break (or end) of the line containing `at`. */
  lineEnd(at = this.pos): number {
    const t = this.text;
    let i = at;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === CH.lf || c === CH.cr) break;
      i++;
    }
    return i;
  }

  /** Index of the first character of the line containing `at`. */
  lineStart(at = this.pos): number {
    const t = this.text;
    let i = at;
    while (i > 0) {
      const c = t.charCodeAt(i - 1);
      if (c === CH.lf || c === CH.cr) break;
      i--;
    }
    return i;
  }

  /** Position after the line break at `at` (handles CRLF), or `at` at the end. */
  afterBreak(at: number): number {
    const c = this.text.charCodeAt(at);
    if (c === CH.cr) return this.text.charCodeAt(at + 1) === CH.lf ? at + 2 : at + 1;
    if (c === CH.lf) return at + 1;
    return at;
  }

  column(at = this.pos): number {
    return at - this.lineStart(at);
  }

  skipSpaces(at = this.pos): number {
    const t = this.text;
    let i = at;
    while (t.charCodeAt(i) === CH.space) i++;
    return i;
  }

  skipBlanks(at = this.pos): number {
    const t = this.text;
    let i = at;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c !== CH.space && c !== CH.tab) return i;
      i++;
    }
  }

  /** 1-based line and column of `at`. */
  position(at: number): { line: number; column: number } {
    const t = this.text;
    let line = 1;
    let start = 0;
    for (let i = 0; i < at && i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === CH.lf || (c === CH.cr && t.charCodeAt(i + 1) !== CH.lf)) {
        line++;
        start = i + 1;
      }
    }
    return { line, column: at - start + 1 };
  }

  /** A parse error at `at`: `file:line:col: message`. */
  error(at: number, message: string, hint?: string): FormatError {
    const position = this.position(at);
    const where = `${this.file ? this.file + ":" : ""}${position.line}:${position.column}`;
    return new FormatError(`${where}: ${message}`, { position, ...(hint ? { hint } : {}) });
  }
}
