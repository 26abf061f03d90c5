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
 * small facts are packed into one integer (`bits`: style, flow, seqItem, parentIndent;
 * read them with the functions below). They are made in one place (`leafSrc`), as
 * class instances: see `LeafLayout`.
 */
export interface LeafSrc extends Span {
  readonly kind: "leaf";
  readonly file: FileSrc;
  /** The parsed value; the emitter keeps the original bytes while the value is equal. */
  readonly value: ScalarValue;
  /** style index (bits 0-2), flow (bit 3), seqItem (bit 4), parentIndent + 1 (bits 5+). */
  readonly bits: number;
  /** Block scalars: column of the content lines. */
  readonly blockIndent?: number;
  /** Block scalars: the explicit indentation indicator digit, if the header had one. */
  readonly indicator?: string | undefined;
}

export function leafBits(style: ScalarStyle, flow: boolean, parentIndent: number, seqItem: boolean): number {
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

/*
 * The records made once per value of a big file are class instances, not object
 * literals: a literal's allocation site gets pretenured once V8 sees its objects
 * survive, and that decision deoptimizes every function that inlined the site (the
 * whole block parser, twice per run); the recompiles cost more than the scavenges
 * they spare. `declare` fields keep the constructors plain property stores.
 */
class LeafLayout {
  declare readonly kind: "leaf";
  declare readonly file: FileSrc;
  declare start: number;
  declare end: number;
  declare readonly value: ScalarValue;
  declare readonly bits: number;
  declare readonly blockIndent: number | undefined;
  declare readonly indicator: string | undefined;
  constructor(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number, blockIndent: number | undefined, indicator: string | undefined) {
    this.kind = "leaf";
    this.file = file;
    this.start = start;
    this.end = end;
    this.value = value;
    this.bits = bits;
    this.blockIndent = blockIndent;
    this.indicator = indicator;
  }
}

export function leafSrc(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number): LeafSrc {
  return new LeafLayout(file, start, end, value, bits, undefined, undefined);
}

/** A block scalar's layout (`|` / `>`): also where its content lines sit. */
export function blockLeafSrc(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number, blockIndent: number, indicator: string | undefined): LeafSrc {
  return new LeafLayout(file, start, end, value, bits, blockIndent, indicator);
}

export function styleOf(src: LeafSrc): ScalarStyle {
  return STYLES[src.bits & 7]!;
}
/** Inside a flow collection (`[a, b]`), where plain scalars cannot hold `,[]{}`. */
export function inFlow(src: LeafSrc): boolean {
  return (src.bits & 8) !== 0;
}
/** The leaf is a sequence item (`- x`), not a mapping value. */
export function isSeqItem(src: LeafSrc): boolean {
  return (src.bits & 16) !== 0;
}
/** Indentation of the enclosing block (libyaml's `n`), for block scalars and new lines. */
export function parentIndentOf(src: LeafSrc): number {
  return (src.bits >> 5) - 1;
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

class CommentLayout {
  declare readonly kind: "comment";
  declare readonly file: FileSrc;
  declare start: number;
  declare end: number;
  declare readonly text: string;
  declare readonly inline: boolean;
  declare readonly sameLine: boolean;
  constructor(file: FileSrc, start: number, end: number, text: string, inline: boolean, sameLine: boolean) {
    this.kind = "comment";
    this.file = file;
    this.start = start;
    this.end = end;
    this.text = text;
    this.inline = inline;
    this.sameLine = sameLine;
  }
}

export function commentSrc(file: FileSrc, start: number, end: number, text: string, inline: boolean, sameLine: boolean): CommentSrc {
  return new CommentLayout(file, start, end, text, inline, sameLine);
}

/** Layout of a mapping entry (one per entry of a big file: made in one place, `entrySrc`). */
export interface EntrySrc extends Span {
  readonly kind: "entry";
  readonly file: FileSrc;
  /** `start` is also where the key starts; `end` where the value text ends (or just after `:`). */
  readonly key: string;
  readonly keyEnd: number;
  /** The value node as parsed; a different object means the value was replaced. */
  readonly value: Node;
  /** Where the value text starts (after `:`), for replacing a whole value. */
  readonly valueStart: number;
}

class EntryLayout {
  declare readonly kind: "entry";
  declare readonly file: FileSrc;
  declare start: number;
  declare end: number;
  declare readonly key: string;
  declare readonly keyEnd: number;
  declare readonly value: Node;
  declare readonly valueStart: number;
  constructor(file: FileSrc, start: number, end: number, key: string, keyEnd: number, value: Node, valueStart: number) {
    this.kind = "entry";
    this.file = file;
    this.start = start;
    this.end = end;
    this.key = key;
    this.keyEnd = keyEnd;
    this.value = value;
    this.valueStart = valueStart;
  }
}

export function entrySrc(file: FileSrc, start: number, end: number, key: string, keyEnd: number, value: Node, valueStart: number): EntrySrc {
  return new EntryLayout(file, start, end, key, keyEnd, value, valueStart);
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

/** Item lists of containers until `snapshot` records the real ones. */
const NO_ITEMS: readonly never[] = Object.freeze([]);

class ContainerLayout {
  declare readonly kind: "map" | "seq";
  declare readonly file: FileSrc;
  declare readonly flow: boolean;
  declare readonly col: number;
  declare start: number;
  declare end: number;
  declare items: ContainerSrc["items"];
  declare spans: readonly Span[] | undefined;
  declare readonly indentless: boolean;
  declare readonly dashes: readonly number[] | undefined;
  constructor(kind: "map" | "seq", file: FileSrc, flow: boolean, col: number, start: number, indentless: boolean, dashes: readonly number[] | undefined) {
    this.kind = kind;
    this.file = file;
    this.flow = flow;
    this.col = col;
    this.start = start;
    this.end = start;
    this.items = NO_ITEMS;
    this.spans = undefined;
    this.indentless = indentless;
    this.dashes = dashes;
  }
}

/** A block container's layout (its items and end are filled in by `snapshot`). */
export function containerLayout(kind: "map" | "seq", file: FileSrc, flow: boolean, col: number, start: number, indentless: boolean, dashes: readonly number[] | undefined): ContainerSrc {
  return new ContainerLayout(kind, file, flow, col, start, indentless, dashes);
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
  return typeof src === "object" && src !== null && (src as { kind?: string }).kind === "leaf";
}
export function isContainerSrc(src: unknown): src is ContainerSrc {
  const k = typeof src === "object" && src !== null ? (src as { kind?: string }).kind : undefined;
  return k === "map" || k === "seq";
}
