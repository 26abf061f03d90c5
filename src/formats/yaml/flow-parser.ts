/**
 * Flow collections (`[a, b]`, `{a: 1}`), possibly spanning lines. Comments inside a
 * flow collection and single-pair mappings in flow sequences (`[a: b]`) go to the
 * fallback parser.
 */
import type { Leaf, MapEntry, MapNode, Node, SeqNode } from "../../tree/types.js";
import { CH, type Cursor, Unsupported, isBreak, isBlank, isFlowIndicator } from "./cursor.js";
import { checkCollectionTag, parseProperties, scalarValue, type TagHandles } from "./properties.js";
import { scanDoubleQuoted, scanPlain, scanSingleQuoted } from "./scalars.js";
import { type ContainerSrc, entrySrc, type FileSrc, leafBits, type LeafSrc, leafSrc, type ScalarStyle, styleOf } from "./src-types.js";
import { mapKey } from "./keys.js";
import { MAX_NESTING, NESTING_HINT, NESTING_MESSAGE } from "../../tree/nesting.js";

export interface FlowContext {
  c: Cursor;
  file: FileSrc;
  handles: TagHandles;
  parentIndent: number;
}

/** Skip blanks and line breaks inside a flow collection; comments are not handled here. */
function skipFlowSpace(x: FlowContext, at: number): number {
  const t = x.c.text;
  let i = at;
  for (;;) {
    const ch = t.charCodeAt(i);
    if (isBlank(ch)) i++;
    else if (isBreak(ch)) i = x.c.afterBreak(i);
    else if (ch === CH.hash) throw new Unsupported("comment inside a flow collection", i);
    else return i;
  }
}

/** Parse a flow scalar or nested collection at `at`. Returns the node and its end. */
function parseFlowNode(x: FlowContext, at: number): { node: Node; end: number; plainText?: string } {
  const { c } = x;
  const props = parseProperties(c, at, x.handles);
  const i = props.next;
  const ch = c.text.charCodeAt(i);
  if (ch === CH.lbracket || ch === CH.lbrace) {
    const r = parseFlowCollection(x, i);
    checkCollectionTag(c, at, props.tag, r.node.kind);
    return r;
  }
  let style: ScalarStyle = "plain";
  let scanned;
  if (ch === CH.squote) [style, scanned] = ["single", scanSingleQuoted(c, i)];
  else if (ch === CH.dquote) [style, scanned] = ["double", scanDoubleQuoted(c, i)];
  else if (isFlowIndicator(ch) || ch === CH.colon) {
    // Empty node (e.g. `{a: }` or `[ , ]` is an error, `{a}` a null value).
    const value = scalarValue(c, at, "", true, props.tag);
    const src = leafSrc(x.file, at, at, value, leafBits(style, true, x.parentIndent, false));
    return { node: { kind: "leaf", value, src }, end: at };
  } else scanned = scanPlain(c, i, x.parentIndent, true);
  const value = scalarValue(c, i, scanned.value, style === "plain", props.tag);
  const src = leafSrc(x.file, at, scanned.end, value, leafBits(style, true, x.parentIndent, false));
  const leaf: Leaf = { kind: "leaf", value, src };
  return style === "plain" && props.tag === undefined ? { node: leaf, end: scanned.end, plainText: scanned.value } : { node: leaf, end: scanned.end };
}

/** Current flow nesting depth; parsing is synchronous, so one counter is safe. */
let flowDepth = 0;

/** Parse `[…]` or `{…}` starting at `at`. */
export function parseFlowCollection(x: FlowContext, at: number): { node: MapNode | SeqNode; end: number } {
  // Bounded recursion: a hostile `[[[[…` must not overflow the stack.
  if (flowDepth >= MAX_NESTING) throw x.c.error(at, NESTING_MESSAGE, NESTING_HINT);
  flowDepth++;
  try {
    return parseFlowCollectionAt(x, at);
  } finally {
    flowDepth--;
  }
}

function parseFlowCollectionAt(x: FlowContext, at: number): { node: MapNode | SeqNode; end: number } {
  const { c } = x;
  const t = c.text;
  const isMap = t.charCodeAt(at) === CH.lbrace;
  const close = isMap ? CH.rbrace : CH.rbracket;
  const node: MapNode | SeqNode = isMap ? { kind: "map", items: [], src: undefined } : { kind: "seq", items: [], src: undefined };
  const seen = new Set<string>();
  let i = skipFlowSpace(x, at + 1);
  for (;;) {
    if (t.charCodeAt(i) === close) break;
    if (Number.isNaN(t.charCodeAt(i))) throw c.error(at, `did not find expected ',' or '${isMap ? "}" : "]"}'`);
    if (t.charCodeAt(i) === CH.question && isBlank(t.charCodeAt(i + 1))) throw new Unsupported("explicit key in a flow collection", i);
    const itemStart = i;
    // `[a, , b]` has no node between the commas: an error in YAML (and in SOPS), not a null.
    if (t.charCodeAt(i) === CH.comma) throw c.error(i, "did not find expected node content");
    const first = parseFlowNode(x, i);
    i = skipFlowSpace(x, first.end);
    if (isMap) {
      const keyNode = first.node;
      let value: Node = { kind: "leaf", value: { type: "null" } };
      let valueStart = i;
      let valueEnd = i;
      if (t.charCodeAt(i) === CH.colon) {
        valueStart = i + 1;
        const v = skipFlowSpace(x, i + 1);
        if (t.charCodeAt(v) === CH.comma || t.charCodeAt(v) === close) {
          value = { kind: "leaf", value: { type: "null" }, src: nullSrc(x, v) };
          valueEnd = i + 1;
          i = v;
        } else {
          const r = parseFlowNode(x, v);
          value = r.node;
          valueEnd = r.end;
          i = skipFlowSpace(x, r.end);
        }
      } else {
        value = { kind: "leaf", value: { type: "null" }, src: nullSrc(x, i) };
      }
      if (keyNode.kind !== "leaf") throw c.error(itemStart, "complex mapping keys are not supported", "SOPS needs plain string keys");
      const keyStyle = keyNode.src ? styleOf(keyNode.src as LeafSrc) : undefined;
      const key = mapKey(c, itemStart, keyNode.value, keyStyle === "plain" && first.plainText !== undefined, seen);
      const entry: MapEntry = { kind: "entry", key, value, src: undefined };
      entry.src = entrySrc(x.file, itemStart, valueEnd, key, first.end, value, valueStart);
      (node as MapNode).items.push(entry);
    } else {
      if (t.charCodeAt(i) === CH.colon) throw new Unsupported("single-pair mapping inside a flow sequence", i);
      (node as SeqNode).items.push(first.node);
    }
    if (t.charCodeAt(i) === CH.comma) {
      i = skipFlowSpace(x, i + 1);
      continue;
    }
    if (t.charCodeAt(i) !== close) throw c.error(i, `did not find expected ',' or '${isMap ? "}" : "]"}'`);
  }
  const src: ContainerSrc = {
    kind: node.kind,
    file: x.file,
    flow: true,
    col: c.column(at),
    start: at,
    end: i + 1,
    items: [...node.items],
    spans: undefined,
  };
  node.src = src;
  return { node, end: i + 1 };
}

function nullSrc(x: FlowContext, at: number): LeafSrc {
  return leafSrc(x.file, at, at, { type: "null" }, leafBits("plain", true, x.parentIndent, false));
}
