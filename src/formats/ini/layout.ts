/**
 * Layout hints of the INI parser (node `src`). Private to src/formats/ini.
 */

/** A physical line before an element: blank, or part of its comment. Includes its line break. */
export interface LeadLine {
  readonly raw: string;
  readonly comment: boolean;
}

/** On a section MapEntry. */
export class IniSectionSrc {
  constructor(
    readonly lead: readonly LeadLine[],
    /** `[name]` as written (with leading blanks), without inline comment or line break; empty for the implicit DEFAULT. */
    readonly header: string,
    /** Whitespace and `; comment` after `]`, before the line break. */
    readonly inline: string,
    readonly eol: string,
    readonly name: string,
    /** The comment text the tree held after parsing (undefined: none). */
    readonly comment: string | undefined,
  ) {}
}

/** On a key MapEntry. */
export class IniKeySrc {
  constructor(
    readonly lead: readonly LeadLine[],
    /** Indentation, key and delimiter as written. */
    readonly keyPart: string,
    /** Blanks between the delimiter and the value. */
    readonly gap: string,
    /** The value as written (quotes, continuation lines included). */
    readonly valueRaw: string,
    /** Whitespace and inline `; comment` after the value. */
    readonly inline: string,
    readonly eol: string,
    readonly key: string,
    readonly orig: string,
    readonly comment: string | undefined,
  ) {}
}

/** On the document MapNode. */
export class IniDocSrc {
  constructor(
    readonly bom: boolean,
    /** Blank lines (and comments go-ini drops) after the last element. */
    readonly tail: readonly LeadLine[],
  ) {}
}
