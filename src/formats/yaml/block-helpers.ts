/**
 * Small pieces of the block parser: the node context passed down the recursion,
 * the result of parsing a node, implicit-key detection and the shared "no properties"
 * result.
 */
import type { MapNode, Node, SeqNode } from "../../tree/types.js";
import { CH, type Cursor, isBlankOrEnd } from "./cursor.js";
import type { Open } from "./comments.js";
import { scanDoubleQuoted, scanSingleQuoted } from "./scalars.js";

export interface NodeContext {
  /** Container receiving the node (the map for a value, the sequence for an item). */
  holder: MapNode | SeqNode | undefined;
  role: "value" | "item" | "root";
  /** The node starts on the line of its key or dash. */
  sameLine: boolean;
  parent: Open | undefined;
  /** Fill this mapping instead of creating one (document roots). */
  target?: MapNode;
}

export interface Parsed {
  node: Node;
  /** End of the node's own text. */
  end: number;
  /** Start of the next token (after comments and blank lines). */
  next: number;
}

const NO_PROPS: { tag: string | undefined; next: number } = { tag: undefined, next: 0 };
/** Shared result for the common case of a node without tag (read immediately, never kept). */
export function noProps(at: number): { tag: string | undefined; next: number } {
  NO_PROPS.next = at;
  return NO_PROPS;
}

/** Whether an implicit key (`key:`) starts at `at` (after optional tags). */
export function isKeyAt(c: Cursor, at: number): boolean {
  let i = at;
  while (c.code(i) === CH.bang) {
    while (!isBlankOrEnd(c.code(i))) i++;
    i = c.skipBlanks(i);
  }
  const ch = c.code(i);
  if (ch === CH.squote || ch === CH.dquote) {
    const s = ch === CH.squote ? scanSingleQuoted(c, i) : scanDoubleQuoted(c, i);
    if (s.multiline) return false;
    const j = c.skipBlanks(s.end);
    return c.code(j) === CH.colon && isBlankOrEnd(c.code(j + 1));
  }
  if (ch === CH.lbracket || ch === CH.lbrace) return false;
  // A plain key ends at `: ` on its line; ` #` or the line end mean a plain value.
  const t = c.text;
  for (let k = i; ; k++) {
    const x = t.charCodeAt(k);
    if (x === CH.colon) {
      if (isBlankOrEnd(t.charCodeAt(k + 1))) return true;
    } else if (x === CH.lf || x === CH.cr || Number.isNaN(x)) return false;
    else if (x === CH.hash && k > i && (t.charCodeAt(k - 1) === CH.space || t.charCodeAt(k - 1) === CH.tab)) return false;
  }
}

/** A `: ` (or `:` at a line end) after blanks from `at`. */
export function colonAfter(c: Cursor, at: number): boolean {
  const j = c.skipBlanks(at);
  return c.code(j) === CH.colon && isBlankOrEnd(c.code(j + 1));
}

/**
 * Letters, digits and quotes: a scalar starting with one is a key exactly when its
 * first line is followed by `: `, so the scan itself can tell instead of `isKeyAt`.
 */
export function startsWord(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === CH.dquote || ch === CH.squote;
}

/**
 * End of a one-line `ENC[AES256_GCM,…]` scalar at `i`, plain or double-quoted (the bulk
 * of an encrypted file), or -1 when the general scanners must decide: the ENC text holds
 * only base64 and `,:_` characters, only blanks or a comment follow on the line, and a
 * plain one is not continued on the next line (indented deeper than `parentIndent`).
 */
/** The rest of an ENC text after its prefix: base64 and `,:_` characters up to `]`. */
const ENC_BODY = /[A-Za-z0-9+/:=,_]*\]/y;

export function encEnd(c: Cursor, i: number, parentIndent: number, quoted: boolean): number {
  const t = c.text;
  const from = quoted ? i + 1 : i;
  if (!t.startsWith("ENC[AES256_GCM,", from)) return -1;
  // One native regex scan (sticky) instead of a per-character loop: this runs over
  // every byte of every ENC value in the file.
  ENC_BODY.lastIndex = from + 15;
  if (!ENC_BODY.test(t)) return -1;
  let end = ENC_BODY.lastIndex;
  if (quoted) {
    if (t.charCodeAt(end) !== CH.dquote) return -1;
    end++;
  }
  let j = end;
  while (t.charCodeAt(j) === CH.space || t.charCodeAt(j) === CH.tab) j++;
  let x = t.charCodeAt(j);
  if ((x === CH.hash && j > end) || Number.isNaN(x)) return end;
  if (x !== CH.lf && x !== CH.cr) return -1;
  if (quoted) return end;
  // Next line: must start at or left of the parent's indentation (or be a comment).
  j = c.afterBreak(j);
  const s = j;
  while (t.charCodeAt(j) === CH.space) j++;
  x = t.charCodeAt(j);
  if (Number.isNaN(x)) return end;
  if (x === CH.tab || x === CH.lf || x === CH.cr) return -1;
  return j - s <= parentIndent || x === CH.hash ? end : -1;
}
