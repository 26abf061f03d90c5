/**
 * Tree nodes made by the block parser, as class instances rather than object literals
 * (same shapes as `tree/types.ts`): see the note on `LeafLayout` in `src-types.ts`. A
 * literal's allocation site is pretenured once its objects are seen to survive, which
 * deoptimizes every function that inlined it; constructors have no such site.
 */
import type { Comment, Leaf, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import type { Open } from "./comments.js";

class LeafNode implements Leaf {
  declare readonly kind: "leaf";
  declare value: ScalarValue;
  declare src: unknown;
  constructor(value: ScalarValue, src: unknown) {
    this.kind = "leaf";
    this.value = value;
    this.src = src;
  }
}

class EntryNode implements MapEntry {
  declare readonly kind: "entry";
  declare key: string;
  declare value: Node;
  declare src: unknown;
  constructor(key: string, value: Node) {
    this.kind = "entry";
    this.key = key;
    this.value = value;
    this.src = undefined;
  }
}

class CommentNode implements Comment {
  declare readonly kind: "comment";
  declare text: string;
  declare src: unknown;
  constructor(text: string, src: unknown) {
    this.kind = "comment";
    this.text = text;
    this.src = src;
  }
}

/**
 * Mappings and sequences share one class, as their literals shared one hidden class:
 * the tree walkers then see two node shapes (leaf, container), not three.
 */
class ContainerNode {
  declare readonly kind: "map" | "seq";
  declare items: (MapEntry | Comment | Node)[];
  declare src: unknown;
  constructor(kind: "map" | "seq") {
    this.kind = kind;
    this.items = [];
    this.src = undefined;
  }
}

export function mapNode(): MapNode {
  return new ContainerNode("map") as MapNode;
}
export function seqNode(): SeqNode {
  return new ContainerNode("seq") as SeqNode;
}
export function leafNode(value: ScalarValue, src: unknown): Leaf {
  return new LeafNode(value, src);
}
export function entryNode(key: string, value: Node): MapEntry {
  return new EntryNode(key, value);
}
export function commentNode(text: string, src: unknown): Comment {
  return new CommentNode(text, src);
}
class OpenBlock implements Open {
  declare node: MapNode | SeqNode;
  declare col: number;
  declare indentless: boolean;
  declare parent: Open | undefined;
  constructor(node: MapNode | SeqNode, col: number, indentless: boolean, parent: Open | undefined) {
    this.node = node;
    this.col = col;
    this.indentless = indentless;
    this.parent = parent;
  }
}

/** An open block collection for the comment engine's stack. */
export function openBlock(node: MapNode | SeqNode, col: number, indentless: boolean, parent: Open | undefined): Open {
  return new OpenBlock(node, col, indentless, parent);
}
