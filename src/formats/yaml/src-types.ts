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

export interface LeafSrc extends Span {
  readonly kind: "leaf";
  readonly file: FileSrc;
  readonly style: ScalarStyle;
  /** The parsed value; the emitter keeps the original bytes while the value is equal. */
  readonly value: ScalarValue;
  /** Inside a flow collection (`[a, b]`), where plain scalars cannot hold `,[]{}`. */
  readonly flow: boolean;
  /** Indentation of the enclosing block (libyaml's `n`), for block scalars and new lines. */
  readonly parentIndent: number;
  /** Block scalars: column of the content lines. */
  readonly blockIndent?: number;
  /** The leaf is a sequence item (`- x`), not a mapping value. */
  readonly seqItem?: boolean;
  /** Block scalars: the explicit indentation indicator digit, if the header had one. */
  readonly indicator?: string;
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

export interface EntrySrc extends Span {
  readonly kind: "entry";
  readonly file: FileSrc;
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The value node as parsed; a different object means the value was replaced. */
  readonly value: Node;
  /** Where the value text starts/ends (after `:`), for replacing a whole value. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface ContainerSrc extends Span {
  readonly kind: "map" | "seq";
  readonly file: FileSrc;
  readonly flow: boolean;
  /** libyaml indentation column of the keys / dashes (block only). */
  readonly col: number;
  /** Items as parsed (identity snapshot) and the source span of each; set once the document is parsed. */
  items: readonly (MapEntry | Comment | Node)[];
  spans: readonly Span[];
  /** Block sequence written at its parent key's column (`key:\n- x`). */
  readonly indentless?: boolean;
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
