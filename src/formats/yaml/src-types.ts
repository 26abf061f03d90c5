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
 * read them with the functions below). They are object literals made in one place
 * (`leafSrc`) rather than class instances: V8 then sees that they all survive and
 * allocates them in old space directly (allocation-site pretenuring), which spares the
 * garbage collector from copying them twice.
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

export function leafSrc(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number): LeafSrc {
  return { kind: "leaf", file, start, end, value, bits };
}

/** A block scalar's layout (`|` / `>`): also where its content lines sit. */
export function blockLeafSrc(file: FileSrc, start: number, end: number, value: ScalarValue, bits: number, blockIndent: number, indicator: string | undefined): LeafSrc {
  return { kind: "leaf", file, start, end, value, bits, blockIndent, indicator };
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

/** Layout of a mapping entry (one per entry of a big file: made in one place, see `LeafSrc`). */
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

export function entrySrc(file: FileSrc, start: number, end: number, key: string, keyEnd: number, value: Node, valueStart: number): EntrySrc {
  return { kind: "entry", file, start, end, key, keyEnd, value, valueStart };
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
  return typeof src === "object" && src !== null && (src as { kind?: string }).kind === "leaf";
}
export function isContainerSrc(src: unknown): src is ContainerSrc {
  const k = typeof src === "object" && src !== null ? (src as { kind?: string }).kind : undefined;
  return k === "map" || k === "seq";
}
