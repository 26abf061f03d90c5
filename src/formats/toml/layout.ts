/**
 * Layout hints the TOML parser stores in node `src` so the emitter can reproduce the
 * original bytes. Only this folder reads them. Nodes are referenced by identity: the
 * emitter checks which of the parsed entries, comments and tables are still in the
 * tree (the engine edits it in place) and renders only those, at their original place.
 */
import type { Comment, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";

/** The four TOML string spellings. */
export type StrKind = "basic" | "literal" | "ml-basic" | "ml-literal";

/** `Leaf.src`: the literal as written and the value it parsed to. */
export interface LeafSrc {
  readonly toml: "leaf";
  /** The literal text (`0xFF`, `'C:\x'`, `"""…"""`). */
  readonly raw: string;
  /** The value `raw` denotes; `raw` is re-used while the leaf still holds this value. */
  readonly orig: ScalarValue;
  /** For strings: the kind to prefer when the value changed (ENC strings are always basic). */
  readonly kind?: StrKind;
}

/** A text span inside an inline value (offsets relative to `InlineSrc.raw`). */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** A value (rendered recursively) or a comment (span = text after `#`). */
  readonly ref: Node | Comment;
}

/** A container and its items as parsed, to detect structural edits. */
export interface Shape {
  readonly node: MapNode | SeqNode;
  readonly items: readonly (MapEntry | Comment | Node)[];
  /** For maps: each entry's value as parsed (undefined for comments). */
  readonly values?: readonly (Node | undefined)[];
}

/** `src` of an inline array or inline table: a template re-used while its shape is unchanged. */
export interface InlineSrc {
  readonly toml: "inline";
  readonly raw: string;
  readonly spans: readonly Span[];
  readonly shapes: readonly Shape[];
}

/** `src` of a map created by a dotted key inside an inline table (rendered by its owner). */
export interface InlinePartSrc {
  readonly toml: "inline-part";
  readonly owner: MapNode;
}

/** A table body in the text: the root, a `[table]` or one `[[array]]` element. */
export interface Section {
  readonly kind: "root" | "table" | "aot";
  readonly map: MapNode;
  /** Keys from the root (for an array element: the array's path). */
  readonly path: readonly string[];
  /** Index of the header statement (-1 for the root). */
  readonly header: number;
  /** Index of the last key/value statement of this section (-1 if none). */
  lastKv: number;
  /** Index where this section's text ends (start of the next header's group). */
  bodyEnd: number;
  /** Index where the text of this section and its sub-table sections ends. */
  subtreeEnd: number;
  /** Indentation of the last key/value line (used for inserted lines). */
  indent: string;
}

/**
 * A layout container's items (and, for tables, each entry's value) as parsed. The emitter
 * compares it with the current items: equal → nothing added or removed (the fast path).
 */
export interface Snapshot {
  readonly items: readonly (MapEntry | Comment | Node)[];
  readonly values?: readonly (Node | undefined)[];
}

/** Fields every layout container src has; `snap` is filled in when parsing ends. */
interface ContainerSrc {
  snap?: Snapshot;
}

/** `src` of a table or array-of-tables element map. */
export interface SectionSrc extends ContainerSrc {
  readonly toml: "section";
  readonly section: Section;
}

/** `src` of a table created only as the parent of a header (`a` in `[a.b]`). */
export interface ImplicitSrc extends ContainerSrc {
  readonly toml: "implicit";
  readonly path: readonly string[];
  /** Statement index of the first header group below it: new `[a]` text goes there. */
  readonly before: number;
}

/** `src` of a table created by dotted keys (`a.b = 1` creates `a`). */
export interface DottedSrc extends ContainerSrc {
  readonly toml: "dotted";
  readonly section: Section;
  /** Keys from the section's table to this table. */
  readonly prefix: readonly string[];
}

/** `src` of an array of tables (`[[a]]`). */
export interface AotSrc extends ContainerSrc {
  readonly toml: "aot";
  readonly path: readonly string[];
}

/** One line (or a multi-line key/value) of the document. */
export type Stmt =
  | { readonly t: "blank"; readonly text: string; group?: HeaderStmt }
  | CommentStmt
  | KvStmt
  | HeaderStmt;

/** A comment on a line of its own. */
export interface CommentStmt {
  readonly t: "comment";
  readonly indent: string;
  readonly comment: Comment;
  /** The table or array the comment was stored in. */
  container: MapNode | SeqNode;
  readonly eol: string;
  group?: HeaderStmt;
}

/** A dotted-key link: `entry` lives in `container`. */
export interface Link {
  readonly entry: MapEntry;
  readonly container: MapNode;
}

/** A `key = value` line (the value may span lines). */
export interface KvStmt {
  readonly t: "kv";
  readonly indent: string;
  /** The key as written (`a . "b"`). */
  readonly key: string;
  /** Text from the key's end to the value (` = `). */
  readonly eq: string;
  /** The entry holding the value, and the table it is in. */
  readonly entry: MapEntry;
  readonly container: MapNode;
  /** Dotted keys: the tables from the section's table down to `container`. */
  prefix?: readonly Link[];
  /** Whitespace after the value. */
  readonly after: string;
  inline?: Comment;
  readonly eol: string;
}

/** A `[table]` or `[[array of tables]]` header line. */
export interface HeaderStmt {
  readonly t: "header";
  /** Indentation and the bracketed key (`  [ a.b ]`). */
  readonly text: string;
  readonly after: string;
  readonly inline?: Comment;
  readonly eol: string;
  readonly section: Section;
  /** Table: the entry whose value is the section's map. Array element: the array's entry. */
  readonly entry: MapEntry;
  /** The table `entry` is in. */
  readonly parent: MapNode;
  /** Array element: the array holding the element. */
  readonly seq?: SeqNode;
  /** The comment lines directly above (stored in the parent table or the array). */
  readonly heads: readonly CommentStmt[];
  /** Index of the first statement of this header's group (blank lines and comments above it). */
  readonly start: number;
}

/** `src` of the document's root map. */
export interface DocSrc extends ContainerSrc {
  readonly toml: "doc";
  readonly bom: boolean;
  /** The line ending used for inserted lines (the file's first one, else `\n`). */
  readonly eol: string;
  readonly stmts: readonly Stmt[];
  readonly root: Section;
}

/** Every `src` this format stores. */
export type AnySrc =
  | LeafSrc
  | InlineSrc
  | InlinePartSrc
  | SectionSrc
  | ImplicitSrc
  | DottedSrc
  | AotSrc
  | DocSrc;

/** The src of a node if this format wrote it, else undefined. */
export function srcOf(node: { src?: unknown }): AnySrc | undefined {
  const s = node.src as { toml?: unknown } | undefined;
  return s !== null && typeof s === "object" && typeof s.toml === "string" ? (s as AnySrc) : undefined;
}
