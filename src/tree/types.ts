/**
 * The format-neutral document tree. Formats parse text into it and emit it back;
 * the engine walks it to encrypt, decrypt and compute the MAC.
 *
 * Nodes are mutable on purpose: the engine replaces `Leaf.value` and `Comment.text`
 * in place, which keeps a 100k-value file cheap. `src` is private to the format that
 * produced the node (spans, quoting style, indentation) so it can re-emit the
 * original layout; the engine never reads it.
 */

/** TOML-only types sobre adds beyond SOPS (written as `type:<name>` in ENC values). */
export type LocalTimeType = "datetime_local" | "date_local" | "time_local";

export type ScalarValue =
  | { readonly type: "str"; readonly value: string }
  /** Raw bytes: binary store, or a decrypted `str` that is not valid UTF-8. Encrypted as `type:str`. */
  | { readonly type: "bytes"; readonly value: Uint8Array }
  /** 64-bit exact. */
  | { readonly type: "int"; readonly value: bigint }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "bool"; readonly value: boolean }
  /** RFC 3339 text, e.g. `2024-01-01T00:00:00Z` or with an offset; kept as text to keep nanoseconds. */
  | { readonly type: "time"; readonly value: string }
  /** TOML local date-time / date / time, kept as their TOML text. */
  | { readonly type: LocalTimeType; readonly value: string }
  | { readonly type: "null" };

export type ScalarType = ScalarValue["type"];

export interface Comment {
  readonly kind: "comment";
  /** Text after the comment marker (`#`/`;`), verbatim, usually with a leading space. Or `ENC[…]`. */
  text: string;
  src?: unknown;
}

export interface Leaf {
  readonly kind: "leaf";
  value: ScalarValue;
  src?: unknown;
}

export interface MapEntry {
  readonly kind: "entry";
  key: string;
  value: Node;
  src?: unknown;
}

export interface MapNode {
  readonly kind: "map";
  items: (MapEntry | Comment)[];
  src?: unknown;
}

export interface SeqNode {
  readonly kind: "seq";
  items: (Node | Comment)[];
  src?: unknown;
}

export type Node = MapNode | SeqNode | Leaf;

/** Convenience constructors (formats and tests use them). */
export const T = {
  str: (value: string): Leaf => ({ kind: "leaf", value: { type: "str", value } }),
  int: (value: bigint | number): Leaf => ({ kind: "leaf", value: { type: "int", value: BigInt(value) } }),
  float: (value: number): Leaf => ({ kind: "leaf", value: { type: "float", value } }),
  bool: (value: boolean): Leaf => ({ kind: "leaf", value: { type: "bool", value } }),
  nil: (): Leaf => ({ kind: "leaf", value: { type: "null" } }),
  leaf: (value: ScalarValue): Leaf => ({ kind: "leaf", value }),
  comment: (text: string): Comment => ({ kind: "comment", text }),
  entry: (key: string, value: Node): MapEntry => ({ kind: "entry", key, value }),
  map: (items: (MapEntry | Comment)[] = []): MapNode => ({ kind: "map", items }),
  seq: (items: (Node | Comment)[] = []): SeqNode => ({ kind: "seq", items }),
};
