/**
 * Layout hints the YAML format stores in node `src` (private to this folder). The
 * patch emitter compares the live tree with these snapshots: an unchanged node keeps
 * its original bytes, a changed leaf or comment is re-rendered in its remembered
 * style, added/removed items are spliced in or cut out.
 */
import type { Comment, MapEntry, MapNode, Node, ScalarValue } from "../../tree/types.js";

export type ScalarStyle = "plain" | "single" | "double" | "literal" | "folded";

/** The whole parsed file, shared by every node parsed from it. */
export interface FileSrc {
  readonly text: string;
  readonly bom: boolean;
  /** Line break used by the file (`\r\n` when its first line break is CRLF). */
  readonly eol: string;
  /** Document roots as parsed, in order. */
  readonly docs: MapNode[];
  /** Indentation step seen in the file (child column minus parent column), if any. */
  indentStep: number | undefined;
  /** Whether block sequences under a key are indented (`  - x`) or not (`- x`). */
  indentedSeqs: boolean | undefined;
}

/** A byte range `[start, end)` in `FileSrc.text`. */
export interface Span {
  start: number;
  end: number;
}

const STYLES: readonly ScalarStyle[] = ["plain", "single", "double", "literal", "folded"];

/**
 * Layout of a parsed scalar. One of these survives per value of a big file, so the
 * small facts are packed into one integer (style, flow, seqItem, parentIndent) and read
 * through getters: five fields instead of nine keeps the garbage collector's copying down.
 */
export class LeafSrc implements Span {
  constructor(
    readonly file: FileSrc,
    readonly start: number,
    readonly end: number,
    /** The parsed value; the emitter keeps the original bytes while the value is equal. */
    readonly value: ScalarValue,
    /** style index (bits 0-2), flow (bit 3), seqItem (bit 4), parentIndent + 1 (bits 5+). */
    private readonly bits: number,
  ) {}

  static bits(style: ScalarStyle, flow: boolean, parentIndent: number, seqItem: boolean): number {
    // A switch, not a lookup table: a keyed load by a string variable is slow in V8.
    let index = 0;
    switch (style) {
      case "plain":
        break;
      case "single":
        index = 1;
        break;
      case "double":
        index = 2;
        break;
      case "literal":
        index = 3;
        break;
      case "folded":
        index = 4;
        break;
    }
    return index | (flow ? 8 : 0) | (seqItem ? 16 : 0) | ((parentIndent + 1) << 5);
  }

  get kind(): "leaf" {
    return "leaf";
  }
  get style(): ScalarStyle {
    return STYLES[this.bits & 7]!;
  }
  /** Inside a flow collection (`[a, b]`), where plain scalars cannot hold `,[]{}`. */
  get flow(): boolean {
    return (this.bits & 8) !== 0;
  }
  /** The leaf is a sequence item (`- x`), not a mapping value. */
  get seqItem(): boolean {
    return (this.bits & 16) !== 0;
  }
  /** Indentation of the enclosing block (libyaml's `n`), for block scalars and new lines. */
  get parentIndent(): number {
    return (this.bits >> 5) - 1;
  }
  /** Block scalars: column of the content lines. */
  get blockIndent(): number | undefined {
    return undefined;
  }
  /** Block scalars: the explicit indentation indicator digit, if the header had one. */
  get indicator(): string | undefined {
    return undefined;
  }
}

/** A block scalar's layout (`|` / `>`): also where its content lines sit. */
export class BlockLeafSrc extends LeafSrc {
  constructor(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number, private readonly indent: number, private readonly digit: string | undefined) {
    super(file, start, end, value, bits);
  }
  override get blockIndent(): number {
    return this.indent;
  }
  override get indicator(): string | undefined {
    return this.digit;
  }
}

export interface CommentSrc extends Span {
  readonly kind: "comment";
  readonly file: FileSrc;
  /** Original text after `#`. */
  readonly text: string;
  /** SOPS's `Inline` flag: a scalar's line comment (`key: v # text`), re-emitted on the value's line. */
  readonly inline: boolean;
  /** Physically written after other content on the same line. */
  readonly sameLine: boolean;
}

/** Layout of a mapping entry (one per entry of a big file: seven fields, the rest derived). */
export class EntrySrc implements Span {
  constructor(
    readonly file: FileSrc,
    /** Start of the key (after any properties' start: the entry's first character). */
    readonly start: number,
    /** End of the value text (or just after the `:` when the value is empty). */
    readonly end: number,
    readonly key: string,
    readonly keyEnd: number,
    /** The value node as parsed; a different object means the value was replaced. */
    readonly value: Node,
    /** Where the value text starts (after `:`), for replacing a whole value. */
    readonly valueStart: number,
  ) {}
  get kind(): "entry" {
    return "entry";
  }
  get keyStart(): number {
    return this.start;
  }
  get valueEnd(): number {
    return this.end;
  }
}

export interface ContainerSrc extends Span {
  readonly kind: "map" | "seq";
  readonly file: FileSrc;
  readonly flow: boolean;
  /** libyaml indentation column of the keys / dashes (block only). */
  readonly col: number;
  /** Items as parsed (identity snapshot); set once the document is parsed. */
  items: readonly (MapEntry | Comment | Node)[];
  /**
   * Source span of each item, built on demand by `itemSpans` (only containers whose
   * items were added or removed need them; most never do).
   */
  spans: readonly Span[] | undefined;
  /** Block sequence written at its parent key's column (`key:\n- x`). */
  readonly indentless?: boolean;
  /** Block sequences: `[start, end]` of each non-comment item from its dash, in order, flat. */
  readonly dashes?: readonly number[] | undefined;
}

/** Extra facts on a document root's src. */
export interface DocSrc extends ContainerSrc {
  readonly doc: number;
  /** Region of the document in the file (from its directives/`---` to before the next). */
  readonly docStart: number;
  readonly docEnd: number;
  /** Where the root mapping's content would start (for an empty document). */
  readonly bodyStart: number;
}

export function isLeafSrc(src: unknown): src is LeafSrc {
  return src instanceof LeafSrc;
}
export function isContainerSrc(src: unknown): src is ContainerSrc {
  const k = typeof src === "object" && src !== null ? (src as { kind?: string }).kind : undefined;
  return k === "map" || k === "seq";
}
