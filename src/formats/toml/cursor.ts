/**
 * The read position in a TOML text, with the character classes of the TOML grammar and
 * errors that carry `file:line:column`.
 */
import { FormatError } from "../../errors.js";
import { positionOf } from "../position.js";

/** Character codes the scanner tests for. */
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const HASH = 0x23;

/** Is `c` a control character TOML forbids in comments and strings (tab is allowed)? */
export function isForbiddenControl(c: number): boolean {
  return (c < 0x20 && c !== TAB) || c === 0x7f;
}

/** Is `c` allowed in a bare key (`A-Za-z0-9_-`)? */
export function isBareKeyChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d
  );
}

/** A comment runs to the line end; other control characters (but tab) are errors. */
// eslint-disable-next-line no-control-regex
const COMMENT_END = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** A position in the text being parsed; `fail` throws a FormatError at it. */
export class Cursor {
  pos = 0;
  readonly len: number;

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.len = text.length;
  }

  /** Throw a FormatError at `at` (default: the current position). */
  fail(message: string, hint?: string, at = this.pos): never {
    const position = positionOf(this.text, at);
    const where = `${this.file}:${position.line}:${position.column}`;
    throw new FormatError(`${where}: ${message}`, { position, ...(hint === undefined ? {} : { hint }) });
  }

  code(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  /** Skip spaces and tabs; return what was skipped. */
  ws(): string {
    const start = this.pos;
    const { text, len } = this;
    let p = this.pos;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c !== SPACE && c !== TAB) break;
      p++;
    }
    this.pos = p;
    return p === start ? "" : text.slice(start, p);
  }

  /** At a line end (`\n`, `\r\n`) or the end of the text? A bare `\r` is an error. */
  atEol(): boolean {
    if (this.pos >= this.len) return true;
    const c = this.code();
    if (c === LF) return true;
    if (c === CR) {
      if (this.code(1) === LF) return true;
      this.fail("carriage return not followed by a line feed", "use \\n or \\r\\n line endings");
    }
    return false;
  }

  /** Consume a line end (assumes `atEol()`); returns it ("" at the end of the text). */
  eol(): string {
    if (this.pos >= this.len) return "";
    if (this.code() === LF) {
      this.pos++;
      return "\n";
    }
    this.pos += 2;
    return "\r\n";
  }

  /**
   * Read a comment starting at `#`; returns the text after `#` up to the line end.
   * Control characters (other than tab) are not allowed in comments.
   */
  comment(): string {
    const { text } = this;
    const start = this.pos + 1;
    COMMENT_END.lastIndex = start;
    const m = COMMENT_END.exec(text);
    const p = m ? m.index : this.len;
    const c = text.charCodeAt(p);
    if (m && c !== LF && !(c === CR && text.charCodeAt(p + 1) === LF)) {
      this.fail("control character in comment", "remove it or use a tab", p);
    }
    this.pos = p;
    return text.slice(start, p);
  }

  /** Expect the end of a line (optionally after spaces and a comment handled by the caller). */
  expectEol(what: string): void {
    if (!this.atEol()) this.fail(`unexpected text after ${what}`, "put each key/value pair and table header on its own line");
  }
}
