/**
 * Test helpers that do to a tree what the engine does: replace every leaf value and
 * comment text in place (encrypt), put values back (decrypt), or strip layout.
 */
import type { MapNode, Node, ScalarValue } from "../../../src/tree/types.js";

/** Every non-null leaf and every comment, depth-first in document order. */
export function visitAll(node: Node, onLeaf: (leaf: Node & { kind: "leaf" }) => void, onComment?: (c: { text: string }) => void): void {
  if (node.kind === "leaf") {
    onLeaf(node);
    return;
  }
  for (const item of node.items) {
    if (item.kind === "comment") onComment?.(item);
    else if (item.kind === "entry") visitAll(item.value, onLeaf, onComment);
    else visitAll(item, onLeaf, onComment);
  }
}

/** Replace every leaf with `ENC[n]` strings and comments with `ENC[c n]`; returns the originals. */
export function fakeEncrypt(doc: MapNode): { values: ScalarValue[]; comments: string[] } {
  const values: ScalarValue[] = [];
  const comments: string[] = [];
  visitAll(
    doc,
    (leaf) => {
      values.push(leaf.value);
      leaf.value = { type: "str", value: `ENC[AES256_GCM,data:${values.length},type:x]` };
    },
    (c) => {
      comments.push(c.text);
      c.text = `ENC[AES256_GCM,data:c${comments.length},type:comment]`;
    },
  );
  return { values, comments };
}

/** Put values and comment texts back in the same order. */
export function fakeDecrypt(doc: MapNode, saved: { values: ScalarValue[]; comments: string[] }): void {
  let v = 0;
  let c = 0;
  visitAll(
    doc,
    (leaf) => {
      leaf.value = saved.values[v++]!;
    },
    (comment) => {
      comment.text = saved.comments[c++]!;
    },
  );
}

/** A deep copy without any `src` (as if the tree came from another format). */
export function stripLayout<T extends Node>(node: T): T {
  if (node.kind === "leaf") return { kind: "leaf", value: node.value } as T;
  if (node.kind === "seq") {
    return { kind: "seq", items: node.items.map((i) => (i.kind === "comment" ? { kind: "comment", text: i.text } : stripLayout(i))) } as T;
  }
  return {
    kind: "map",
    items: node.items.map((i) => (i.kind === "comment" ? { kind: "comment", text: i.text } : { kind: "entry", key: i.key, value: stripLayout(i.value) })),
  } as T;
}
