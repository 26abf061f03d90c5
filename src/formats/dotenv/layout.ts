/**
 * Layout hints of the dotenv parser (node `src`), so a parsed file is emitted back
 * byte for byte where nothing changed. Private to src/formats/dotenv.
 */
import type { ScalarValue } from "../../tree/types.js";

/** A raw line: text, or bytes when the line is not valid UTF-8. */
export type RawText = string | Uint8Array;

/** The original line(s) of an entry, kept only where they cannot be rebuilt from key and value. */
export interface DotenvRawLine {
  /** `KEY=VALUE` as written, up to the end of the value (closing quote included). */
  readonly head: RawText;
  /** The key and value it was read as: the line is reused only while both are unchanged. */
  readonly key: string;
  readonly orig: ScalarValue;
}

/**
 * On a MapEntry: what surrounds its line(s). A single UTF-8 line needs no copy of its
 * text: `KEY=` + the value with newlines as `\n` gives its bytes back exactly (the
 * reader turned each `\n` pair into a newline, and a line holds no newline), so the
 * usual entry shares one instance and keeps nothing alive (100k-value files).
 */
export class DotenvEntrySrc {
  constructor(
    /** Blank lines before it, verbatim. */
    readonly pre: string,
    /** `\n`, or empty for a last line without newline. */
    readonly eol: string,
    /** A quoted value spanning several lines (re-rendered with real newlines). */
    readonly multiline = false,
    /** Set for a multi-line value or a line that is not valid UTF-8. */
    readonly raw?: DotenvRawLine,
  ) {}
}

/** The layout of most entries: no blank line before, newline after. */
export const PLAIN_LINE = new DotenvEntrySrc("", "\n");

/** On a Comment: the line it was read from; `inline` = after a quoted value on the entry's line. */
export class DotenvCommentSrc {
  constructor(
    readonly pre: string,
    readonly raw: RawText,
    readonly eol: string,
    readonly inline: boolean,
    readonly orig: string,
  ) {}
}

/** On the document MapNode: blank lines after the last item. */
export class DotenvDocSrc {
  constructor(readonly tail: string) {}
}
