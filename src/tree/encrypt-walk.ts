import type { Comment, Leaf, MapNode, Node, SeqNode } from "./types.js";

/**
 * `walkDocuments` (walk.ts) for the encrypt passes, with each AAD given in parts instead
 * of as a string built per value: `head`, then — for a mapping value — `key` and `:`.
 * So the AAD is `key === undefined ? head : head + key + ":"`; `aadText` joins it where
 * a string is needed. Same order, path and comment-stack semantics as `walkDocuments`
 * (test/tree/encrypt-walk.test.ts compares them); indexed loops, so even unoptimized
 * code allocates nothing per item.
 */
export interface PartsVisitor {
  leaf(leaf: Leaf, path: readonly string[], comments: readonly (readonly string[])[], head: string, key: string | undefined): void;
  comment(comment: Comment, path: readonly string[], comments: readonly (readonly string[])[], head: string): void;
}

/** The AAD an encrypt-walk visit describes. */
export function aadText(head: string, key: string | undefined): string {
  return key === undefined ? head : head + key + ":";
}

export function walkDocumentParts(documents: readonly MapNode[], visitor: PartsVisitor): void {
  for (let d = 0; d < documents.length; d++) walkMap(documents[d]!, [], "", [], visitor);
}

// `prefix` is the path's keys each followed by `:` ("" at the top, whose AAD is ":").

function walkNode(node: Node, path: string[], prefix: string, key: string | undefined, stack: string[][], visitor: PartsVisitor): void {
  switch (node.kind) {
    case "leaf":
      if (node.value.type !== "null") visitor.leaf(node, path, stack, key === undefined && prefix === "" ? ":" : prefix, key);
      return;
    case "map":
      walkMap(node, path, key === undefined ? prefix : prefix + key + ":", stack, visitor);
      return;
    case "seq":
      walkSeq(node, path, key === undefined ? prefix : prefix + key + ":", stack, visitor);
      return;
  }
}

function walkMap(map: MapNode, path: string[], prefix: string, stack: string[][], visitor: PartsVisitor): void {
  const level: string[] = [];
  stack.push(level);
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "comment") {
      level.push(item.text);
      visitor.comment(item, path, stack, prefix === "" ? ":" : prefix);
      continue;
    }
    path.push(item.key);
    walkNode(item.value, path, prefix, item.key, stack, visitor);
    path.pop();
    level.length = 0;
  }
  stack.pop();
}

function walkSeq(seq: SeqNode, path: string[], prefix: string, stack: string[][], visitor: PartsVisitor): void {
  const level: string[] = [];
  stack.push(level);
  const items = seq.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "comment") {
      level.push(item.text);
      visitor.comment(item, path, stack, prefix === "" ? ":" : prefix);
      continue;
    }
    walkNode(item, path, prefix, undefined, stack, visitor);
    level.length = 0;
  }
  stack.pop();
}
