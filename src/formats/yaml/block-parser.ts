/**
 * Block structure: mappings, sequences (also `key:\n- x` and compact `- a: 1`,
 * `- - x`), and the scalar or flow node at each position. Every collection registers
 * with the comment engine while open so comments land where go-yaml puts them.
 */
import type { Leaf, MapEntry, MapNode, Node, SeqNode } from "../../tree/types.js";
import { CH, Unsupported, isBlankOrEnd, isBreak } from "./cursor.js";
import { scanBlockScalar } from "./block-scalar.js";
import { colonAfter, encEnd, isKeyAt, type NodeContext, noProps, type Parsed, startsWord } from "./block-helpers.js";
import { parseFlowCollection } from "./flow-parser.js";
import { MAX_NESTING, NESTING_HINT, NESTING_MESSAGE } from "../../tree/nesting.js";
import { checkCollectionTag, parseProperties, scalarValue } from "./properties.js";
import { scanDoubleQuoted, scanPlain, scanSingleQuoted } from "./scalars.js";
import { BlockBase } from "./block-base.js";
import { entryNode, mapNode, seqNode } from "./nodes.js";

export type { NodeContext, Parsed };
import { blockLeafSrc, type ContainerSrc, entrySrc, leafBits, type ScalarStyle } from "./src-types.js";

/** Value of an entry while its real value is parsed (replaced before the entry is done). */
const PENDING: Leaf = Object.freeze({ kind: "leaf", value: Object.freeze({ type: "null" }) }) as Leaf;

export class BlockParser extends BlockBase {
  /** Parse the node whose first character (or property) is at `at`. */
  parseNode(at: number, parentIndent: number, ctx: NodeContext): Parsed {
    if (this.depth >= MAX_NESTING) throw this.c.error(at, NESTING_MESSAGE, NESTING_HINT);
    this.depth++;
    try {
      return this.parseNodeAt(at, parentIndent, ctx);
    } finally {
      this.depth--;
    }
  }

  private parseNodeAt(at: number, parentIndent: number, ctx: NodeContext): Parsed {
    const { c } = this;
    const first = c.code(at);
    const props = first === CH.bang || first === CH.amp || first === CH.star ? parseProperties(c, at, this.handles) : noProps(at);
    let i = props.next;
    let ch = c.code(i);
    const isItem = ctx.role === "item";
    if (props.tag !== undefined && (ch === CH.hash || isBreak(ch) || Number.isNaN(ch))) {
      // `key: !!map` with the content on the following lines.
      this.eng.setPrior("value", ctx.holder, isItem);
      const next = this.trivia(i);
      if (ctx.role === "value" && !this.atEnd(next) && c.column(next) === parentIndent && this.isDash(next)) {
        checkCollectionTag(c, at, props.tag, "seq");
        return this.parseSeq(next, parentIndent, { ...ctx, sameLine: false }, true);
      }
      if (!this.atEnd(next) && c.column(next) > parentIndent) {
        const r = this.parseNode(next, parentIndent, { ...ctx, sameLine: false });
        if (r.node.kind !== "leaf") checkCollectionTag(c, at, props.tag, r.node.kind);
        else throw new Unsupported("tag separated from its scalar", at);
        return r;
      }
      const value = scalarValue(c, at, "", true, props.tag);
      return { node: this.leaf(value, at, i, "plain", parentIndent), end: i, next };
    }
    if ((ch === 69 /* E */ || ch === CH.dquote) && props.tag === undefined) {
      const quoted = ch === CH.dquote;
      const end = encEnd(c, i, parentIndent, quoted);
      if (end >= 0) {
        if (!ctx.sameLine && ctx.role !== "root" && ctx.holder) this.eng.beforeLast(ctx.holder);
        const value = quoted ? c.text.slice(i + 1, end - 1) : c.text.slice(i, end);
        const node = this.leaf({ type: "str", value }, at, end, quoted ? "double" : "plain", parentIndent, isItem);
        this.eng.setPrior("scalar", ctx.holder, isItem);
        return { node, end, next: this.trivia(end) };
      }
    }
    if (this.isDash(i)) {
      if (ctx.sameLine && ctx.role === "value") throw c.error(i, "block sequence entries are not allowed in this context");
      checkCollectionTag(c, at, props.tag, "seq");
      return this.parseSeq(i, c.column(i), ctx, false);
    }
    if (ch === CH.question && isBlankOrEnd(c.code(i + 1))) throw new Unsupported("explicit (complex) mapping key", i);
    // `key: value` cannot hold another key. For the usual first characters the scan
    // below tells (one pass over the value instead of two), see `colonAfter`.
    const sameLineValue = ctx.sameLine && ctx.role === "value" && startsWord(ch);
    if (!sameLineValue && isKeyAt(c, at)) {
      if (ctx.sameLine && ctx.role === "value") throw c.error(i, "mapping values are not allowed in this context");
      return this.parseMap(at, c.column(at), ctx);
    }
    // Comments between `key:`/`-` and a scalar or flow value on a later line are head
    // comments of that value, which SOPS places before the entry.
    if (!ctx.sameLine && ctx.role !== "root" && ctx.holder) this.eng.beforeLast(ctx.holder);
    if (ch === CH.lbracket || ch === CH.lbrace) {
      const r = parseFlowCollection({ c, file: this.file, handles: this.handles, parentIndent }, i);
      checkCollectionTag(c, at, props.tag, r.node.kind);
      const after = c.skipBlanks(r.end);
      if (c.code(after) === CH.colon && isBlankOrEnd(c.code(after + 1))) throw new Unsupported("flow collection used as a mapping key", i);
      this.eng.setPrior("flow", ctx.holder, isItem, r.node);
      return { node: r.node, end: r.end, next: this.trivia(r.end) };
    }
    if (ch === CH.pipe || ch === CH.gt) {
      const b = scanBlockScalar(c, i, parentIndent);
      const value = props.tag === undefined ? { type: "str" as const, value: b.value } : scalarValue(c, at, b.value, false, props.tag);
      const bits = leafBits(b.literal ? "literal" : "folded", false, parentIndent, false);
      const src = blockLeafSrc(this.file, at, b.end, value, bits, b.indent, b.indicator || undefined);
      const node: Leaf = { kind: "leaf", value, src };
      this.eng.setPrior("scalar", ctx.holder, isItem);
      if (b.headerComment >= 0) this.eng.lineComment(b.headerComment);
      return { node, end: b.end, next: this.trivia(b.end) };
    }
    let style: ScalarStyle = "plain";
    let s;
    if (ch === CH.squote) [style, s] = ["single", scanSingleQuoted(c, i)];
    else if (ch === CH.dquote) [style, s] = ["double", scanDoubleQuoted(c, i)];
    else {
      if (ch === CH.amp || ch === CH.star) parseProperties(c, i, this.handles);
      if (ch === CH.at || ch === CH.backtick) throw c.error(i, "found character that cannot start any token");
      if (ch === CH.tab) throw c.error(i, "found a tab character that violates indentation");
      s = scanPlain(c, i, parentIndent, false);
    }
    // What `isKeyAt` would have refused: a one-line scalar followed by `: `.
    if (sameLineValue && !s.multiline && colonAfter(c, s.end)) throw c.error(i, "mapping values are not allowed in this context");
    const value = scalarValue(c, at, s.value, style === "plain", props.tag);
    const node = this.leaf(value, at, s.end, style, parentIndent, isItem);
    this.eng.setPrior("scalar", ctx.holder, isItem);
    if (colonAfter(c, s.end)) throw c.error(c.skipBlanks(s.end), "mapping values are not allowed in this context");
    return { node, end: s.end, next: this.trivia(s.end) };
  }

  parseMap(at: number, col: number, ctx: NodeContext): Parsed {
    const { c } = this;
    const map: MapNode = ctx.target ?? mapNode();
    const open = this.open(map, col, false, ctx.parent);
    this.keys.open();
    let i = at;
    let end = at;
    let next: number;
    for (;;) {
      const f = c.code(i);
      const props = f === CH.bang || f === CH.amp || f === CH.star ? parseProperties(c, i, this.handles) : noProps(i);
      const k = props.next;
      const kc = c.code(k);
      if (kc === CH.question && isBlankOrEnd(c.code(k + 1))) throw new Unsupported("explicit (complex) mapping key", k);
      if (kc === CH.lbracket || kc === CH.lbrace) throw new Unsupported("flow collection used as a mapping key", k);
      const key = this.keys.read(i, k, kc, col, props.tag);
      const keyEnd = this.keys.end;
      const colon = c.skipBlanks(keyEnd);
      if (c.code(colon) !== CH.colon || !isBlankOrEnd(c.code(colon + 1))) {
        throw c.error(colon, "could not find expected ':'");
      }
      const entry: MapEntry = entryNode(key, PENDING);
      // Feet of a preceding `key:`/`-` become this key's foot (after the entry), or the
      // previous entry's foot when there is one.
      const feet = this.eng.takeDeferred();
      const hasEntry = map.items.some((it) => it.kind === "entry");
      if (hasEntry) map.items.push(...feet);
      this.eng.beforeItem(map);
      map.items.push(entry);
      const afterColon = colon + 1;
      const v = c.skipBlanks(afterColon);
      const vc = c.code(v);
      // The ENC fast lane hands back a reused `Parsed` (no object per value). One
      // variable, like before it: parseMap's frame size bounds the nesting depth the
      // stack holds.
      let r = vc === CH.hash || isBreak(vc) || Number.isNaN(vc) ? undefined : this.encValue(v, vc, col, map);
      if (r !== undefined) {
        // The fast lane's value.
      } else if (vc === CH.hash || isBreak(vc) || Number.isNaN(vc)) {
        this.eng.setPrior("value", map);
        next = this.trivia(afterColon);
        const nullLeaf = (): Parsed => ({ node: this.leaf({ type: "null" }, afterColon, afterColon, "plain", col), end: afterColon, next });
        if (this.atEnd(next) || c.column(next) < col) r = nullLeaf();
        else if (c.column(next) === col) {
          if (this.isDash(next)) {
            if (this.file.indentedSeqs === undefined) this.file.indentedSeqs = false;
            r = this.parseSeq(next, col, { holder: map, role: "value", sameLine: false, parent: open }, true);
          } else r = nullLeaf();
        } else {
          const childCol = c.column(next);
          r = this.parseNode(next, col, { holder: map, role: "value", sameLine: false, parent: open });
          if (r.node.kind === "map" && this.file.indentStep === undefined && !(r.node.src as ContainerSrc | undefined)?.flow) {
            this.file.indentStep = childCol - col;
          }
          if (r.node.kind === "seq" && this.file.indentedSeqs === undefined && !(r.node.src as ContainerSrc | undefined)?.flow) {
            this.file.indentedSeqs = true;
          }
        }
      } else {
        r = this.parseNode(v, col, { holder: map, role: "value", sameLine: true, parent: open });
      }
      entry.value = r.node;
      next = r.next;
      if (!hasEntry && feet.length > 0) map.items.splice(map.items.indexOf(entry) + 1, 0, ...feet);
      const src = entrySrc(this.file, i, Math.max(r.end, afterColon), key, keyEnd, r.node, afterColon);
      entry.src = src;
      end = Math.max(end, src.end);
      if (this.atEnd(next)) break;
      const nc = c.column(next);
      if (nc < col) break;
      if (nc > col) throw c.error(next, "mapping values are not allowed in this context (bad indentation)");
      if (this.isDash(next)) throw c.error(next, "did not find expected key");
      i = next;
    }
    this.eng.stack.pop();
    this.keys.close();
    map.src = this.containerSrc(map, at, col, false, undefined);
    return { node: map, end, next };
  }

  parseSeq(at: number, col: number, ctx: NodeContext, indentless: boolean): Parsed {
    const { c } = this;
    const seq: SeqNode = seqNode();
    const open = this.open(seq, col, indentless, ctx.parent);
    /** `[start, end]` of each item from its dash, flat: one small array instead of a span object per item. */
    const dashes: number[] = [];
    let i = at;
    let end = at;
    let next: number;
    for (;;) {
      this.eng.beforeItem(seq);
      const afterDash = i + 1;
      const v = c.skipBlanks(afterDash);
      const vc = c.code(v);
      // One `Parsed` variable, as in parseMap (frame size bounds the nesting depth).
      let r = vc === CH.hash || isBreak(vc) || Number.isNaN(vc) ? undefined : this.encItem(v, vc, col, seq);
      if (r === undefined) {
        // Comments may be placed while the item is parsed: they go before this placeholder.
        const placeholder: Leaf = { kind: "leaf", value: { type: "null" } };
        seq.items.push(placeholder);
        if (vc === CH.hash || isBreak(vc) || Number.isNaN(vc)) {
          this.eng.setPrior("entry", seq, true);
          next = this.trivia(afterDash);
          if (this.atEnd(next) || c.column(next) <= col) {
            r = { node: this.leaf({ type: "null" }, afterDash, afterDash, "plain", col), end: afterDash, next };
          } else {
            r = this.parseNode(next, col, { holder: seq, role: "item", sameLine: false, parent: open });
          }
        } else {
          if (vc === CH.tab) throw c.error(v, "found a tab character that violates indentation");
          r = this.parseNode(v, col, { holder: seq, role: "item", sameLine: true, parent: open });
        }
        const items = seq.items as Node[];
        let k = items.length - 1;
        while (k >= 0 && items[k] !== placeholder) k--;
        items[k] = r.node;
      }
      dashes.push(i, Math.max(r.end, afterDash));
      end = Math.max(end, r.end, afterDash);
      next = r.next;
      if (this.atEnd(next)) break;
      const nc = c.column(next);
      if (nc < col) break;
      if (nc > col) throw c.error(next, "bad indentation of a sequence entry");
      if (!this.isDash(next)) {
        if (indentless) break;
        throw c.error(next, "did not find expected '-' indicator");
      }
      i = next;
    }
    this.eng.stack.pop();
    seq.src = this.containerSrc(seq, at, col, indentless, dashes.slice());
    return { node: seq, end, next };
  }
}

