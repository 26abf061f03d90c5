/**
 * Layout hints of the dotenv parser (node `src`), so a parsed file is emitted back
 * byte for byte where nothing changed. Private to src/formats/dotenv.
 */
import type { ScalarValue } from "../../tree/types.js";

/** A raw line: text, or bytes when the line is not valid UTF-8. */
export type RawText = string | Uint8Array;

/** On a MapEntry: the line(s) it was read from. */
export class DotenvEntrySrc {
  constructor(
    /** Blank lines before it, verbatim. */
    readonly pre: string,
    /** `KEY=VALUE` as written, up to the end of the value (closing quote included). */
    readonly head: RawText,
    /** Whitespace after the value (and before an inline `# comment`), e.g. a CR. */
    readonly trail: string,
    /** `\n`, or empty for a last line without newline. */
    readonly eol: string,
    /** The quote the value was written in (plain mode only), or empty. */
    readonly quote: '"' | "'" | "",
    /** A quoted value spanning several lines (re-rendered with real newlines). */
    readonly multiline: boolean,
    readonly key: string,
    readonly orig: ScalarValue,
  ) {}
}

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
