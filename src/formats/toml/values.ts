/**
 * Reading TOML values: strings, bare scalars, arrays and inline tables. Every node gets
 * a `src` (literal text, or a template for arrays and inline tables) for the emitter.
 */
import type { Comment, Leaf, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { type Cursor, HASH } from "./cursor.js";
import { type KeyIndex, readKey } from "./keys.js";
import type { InlinePartSrc, InlineSrc, LeafSrc, Shape, Span, StrKind } from "./layout.js";
import { readBareScalar } from "./scalars.js";
import { readString } from "./strings.js";
import { MAX_NESTING, NESTING_HINT, NESTING_MESSAGE } from "../../tree/nesting.js";

const COMMA = 0x2c;
const EQUALS = 0x3d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

function leafOf(value: ScalarValue, raw: string, kind?: StrKind): Leaf {
  const src: LeafSrc = kind === undefined ? { toml: "leaf", raw, orig: value } : { toml: "leaf", raw, orig: value, kind };
  return { kind: "leaf", value, src };
}

/** Nesting depth of arrays and inline tables being read; parsing is synchronous. */
let depth = 0;

/** Read one value at the cursor. */
export function readValue(cur: Cursor, index: KeyIndex): Node {
  const c = cur.code();
  const start = cur.pos;
  if (c === 0x22 || c === 0x27) {
    const s = readString(cur);
    return leafOf({ type: "str", value: s.value }, cur.text.slice(start, cur.pos), s.kind);
  }
  if (c === LBRACKET || c === LBRACE) {
    // Bounded recursion: a hostile `[[[[…` must not overflow the stack.
    if (depth >= MAX_NESTING) cur.fail(NESTING_MESSAGE, NESTING_HINT);
    depth++;
    try {
      return c === LBRACKET ? readArray(cur, index) : readInlineTable(cur, index);
    } finally {
      depth--;
    }
  }
  const value = readBareScalar(cur);
  return leafOf(value, cur.text.slice(start, cur.pos));
}

function shapeOf(node: MapNode | SeqNode): Shape {
  if (node.kind === "seq") return { node, items: node.items.slice() };
  return {
    node,
    items: node.items.slice(),
    values: node.items.map((i) => (i.kind === "entry" ? i.value : undefined)),
  };
}

/** Skip whitespace, newlines and comments inside an array; comments become items. */
function skipArrayTrivia(cur: Cursor, seq: SeqNode, spans: Span[], start: number): void {
  for (;;) {
    cur.ws();
    if (cur.code() === HASH) {
      const from = cur.pos + 1;
      const comment: Comment = { kind: "comment", text: cur.comment() };
      seq.items.push(comment);
      spans.push({ start: from - start, end: cur.pos - start, ref: comment });
    }
    if (cur.pos < cur.len && cur.atEol()) {
      cur.eol();
      continue;
    }
    return;
  }
}

function readArray(cur: Cursor, index: KeyIndex): SeqNode {
  const start = cur.pos;
  cur.pos++;
  const seq: SeqNode = { kind: "seq", items: [] };
  const spans: Span[] = [];
  for (;;) {
    skipArrayTrivia(cur, seq, spans, start);
    if (cur.code() === RBRACKET) break;
    if (cur.pos >= cur.len) cur.fail("unterminated array", "close it with ]", start);
    const from = cur.pos;
    const node = readValue(cur, index);
    seq.items.push(node);
    spans.push({ start: from - start, end: cur.pos - start, ref: node });
    skipArrayTrivia(cur, seq, spans, start);
    const c = cur.code();
    if (c === COMMA) {
      cur.pos++;
      continue;
    }
    if (c === RBRACKET) break;
    if (cur.pos >= cur.len) cur.fail("unterminated array", "close it with ]", start);
    cur.fail("expected , or ] in array", "separate array values with commas");
  }
  cur.pos++;
  const src: InlineSrc = { toml: "inline", raw: cur.text.slice(start, cur.pos), spans, shapes: [shapeOf(seq)] };
  seq.src = src;
  return seq;
}

function readInlineTable(cur: Cursor, index: KeyIndex): MapNode {
  const start = cur.pos;
  cur.pos++;
  const map: MapNode = { kind: "map", items: [] };
  const maps: MapNode[] = [map];
  const spans: Span[] = [];
  cur.ws();
  if (cur.code() === RBRACE) {
    cur.pos++;
  } else {
    for (;;) {
      const key = readKey(cur);
      cur.ws();
      if (cur.code() !== EQUALS) cur.fail("expected = after key", "write key = value");
      cur.pos++;
      cur.ws();
      const target = dottedTarget(cur, index, map, key.parts, key.at, maps);
      const last = key.parts[key.parts.length - 1] ?? "";
      if (index.get(target, last)) cur.fail(`duplicate key "${last}"`, "each key may appear once per table", key.at[key.at.length - 1]);
      const from = cur.pos;
      const value = readValue(cur, index);
      const entry: MapEntry = { kind: "entry", key: last, value };
      target.items.push(entry);
      index.add(target, entry);
      spans.push({ start: from - start, end: cur.pos - start, ref: value });
      cur.ws();
      const c = cur.code();
      if (c === COMMA) {
        cur.pos++;
        cur.ws();
        if (cur.code() === RBRACE) cur.fail("trailing comma in inline table", "remove the comma before }");
        continue;
      }
      if (c === RBRACE) {
        cur.pos++;
        break;
      }
      if (cur.pos >= cur.len) cur.fail("unterminated inline table", "close it with }", start);
      cur.fail("expected , or } in inline table", "inline tables must stay on one line; use a [table] for more");
    }
  }
  const src: InlineSrc = { toml: "inline", raw: cur.text.slice(start, cur.pos), spans, shapes: maps.map(shapeOf) };
  map.src = src;
  return map;
}

/** Walk/create the tables of a dotted key inside an inline table. */
function dottedTarget(
  cur: Cursor,
  index: KeyIndex,
  owner: MapNode,
  parts: string[],
  at: number[],
  maps: MapNode[],
): MapNode {
  let target = owner;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i] ?? "";
    const existing = index.get(target, key);
    if (!existing) {
      const src: InlinePartSrc = { toml: "inline-part", owner };
      const child: MapNode = { kind: "map", items: [], src };
      const entry: MapEntry = { kind: "entry", key, value: child };
      target.items.push(entry);
      index.add(target, entry);
      maps.push(child);
      target = child;
      continue;
    }
    const v = existing.value;
    const s = v.src as InlinePartSrc | undefined;
    if (v.kind !== "map" || s?.toml !== "inline-part" || s.owner !== owner) {
      cur.fail(`duplicate key "${key}"`, "an inline table cannot be extended with dotted keys", at[i]);
    }
    target = v;
  }
  return target;
}
