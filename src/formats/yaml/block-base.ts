/**
 * What every block construct of the parser shares: the cursor and comment engine, the
 * trivia step between tokens, leaf and container layout records, the nesting depth, and
 * the fast lane for one-line `ENC[…]` values (the bulk of an encrypted file).
 */
import type { Leaf, MapNode, SeqNode } from "../../tree/types.js";
import { MAX_NESTING } from "../../tree/nesting.js";
import { encEnd, type Parsed } from "./block-helpers.js";
import { BlockKeys } from "./block-keys.js";
import type { CommentEngine, Open } from "./comments.js";
import { CH, type Cursor, isBlankOrEnd } from "./cursor.js";
import type { TagHandles } from "./properties.js";
import { leafNode, openBlock } from "./nodes.js";
import { isDocumentMarker } from "./scalars.js";
import { type ContainerSrc, containerLayout, type FileSrc, leafBits, leafSrc, type ScalarStyle } from "./src-types.js";

const PLACEHOLDER: Leaf = Object.freeze({ kind: "leaf", value: Object.freeze({ type: "null" }) }) as Leaf;

export class BlockBase {
  handles: TagHandles = new Map();
  protected readonly firstLineEnd: number;
  protected readonly keys: BlockKeys;

  constructor(
    readonly c: Cursor,
    readonly file: FileSrc,
    readonly eng: CommentEngine,
  ) {
    this.firstLineEnd = c.lineEnd(0);
    this.keys = new BlockKeys(c);
  }

  trivia(pos: number): number {
    return this.eng.trivia(pos, pos <= this.firstLineEnd);
  }

  atEnd(at: number): boolean {
    return at >= this.c.text.length || isDocumentMarker(this.c, at);
  }

  isDash(at: number): boolean {
    return this.c.code(at) === CH.dash && isBlankOrEnd(this.c.code(at + 1));
  }

  protected leaf(value: Leaf["value"], start: number, end: number, style: ScalarStyle, parentIndent: number, seqItem = false): Leaf {
    return leafNode(value, leafSrc(this.file, start, end, value, leafBits(style, false, parentIndent, seqItem)));
  }

  /** Nesting depth of parseNode calls; bounded so hostile input cannot overflow the stack. */
  protected depth = 0;

  /** End of the scalar read by the last successful `encLeaf`. */
  protected encAt = 0;

  /**
   * The bulk of an encrypted file: a one-line `ENC[...]` value on the line of its key or
   * dash. Builds the leaf `parseNodeAt` would build (and sets the same prior token)
   * without the recursion and its context objects; undefined when the general path must
   * decide (also at the nesting limit, where `parseNode` throws).
   */
  protected encLeaf(v: number, vc: number, parentIndent: number, holder: MapNode | SeqNode, isItem: boolean): Leaf | undefined {
    if ((vc !== 69 /* E */ && vc !== CH.dquote) || this.depth >= MAX_NESTING) return undefined;
    const quoted = vc === CH.dquote;
    const end = encEnd(this.c, v, parentIndent, quoted);
    if (end < 0) return undefined;
    const value = quoted ? this.c.text.slice(v + 1, end - 1) : this.c.text.slice(v, end);
    // A literal, unlike the records: the engine replaces it by literals of the same
    // shape, so the leaf's value field keeps one hidden class.
    const node = this.leaf({ type: "str", value }, v, end, quoted ? "double" : "plain", parentIndent, isItem);
    this.eng.setPrior("scalar", holder, isItem);
    this.encAt = end;
    return node;
  }

  /** The result `encValue` hands back, reused (read before the next value is parsed). */
  private readonly encParsed: Parsed = { node: PLACEHOLDER, end: 0, next: 0 };

  /** `encLeaf` for a mapping value, with the trivia after it, as a `Parsed`. */
  protected encValue(v: number, vc: number, parentIndent: number, map: MapNode): Parsed | undefined {
    const node = this.encLeaf(v, vc, parentIndent, map, false);
    if (node === undefined) return undefined;
    const r = this.encParsed;
    r.node = node;
    r.end = this.encAt;
    r.next = this.trivia(this.encAt);
    return r;
  }

  /** `encLeaf` for a sequence item, pushed to `seq` before the trivia after it (a comment on its line goes before it). */
  protected encItem(v: number, vc: number, parentIndent: number, seq: SeqNode): Parsed | undefined {
    const node = this.encLeaf(v, vc, parentIndent, seq, true);
    if (node === undefined) return undefined;
    seq.items.push(node);
    const r = this.encParsed;
    r.node = node;
    r.end = this.encAt;
    r.next = this.trivia(this.encAt);
    return r;
  }

  protected open(node: MapNode | SeqNode, col: number, indentless: boolean, parent: Open | undefined): Open {
    const o = openBlock(node, col, indentless, parent);
    this.eng.stack.push(o);
    return o;
  }

  protected containerSrc(node: MapNode | SeqNode, start: number, col: number, indentless: boolean, dashes: number[] | undefined): ContainerSrc {
    return containerLayout(node.kind, this.file, false, col, start, indentless, dashes);
  }

}
