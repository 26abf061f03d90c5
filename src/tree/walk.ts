import type { Comment, Leaf, MapNode, Node, SeqNode } from "./types.js";

/**
 * Depth-first walk in document order with SOPS's path and comment-stack semantics
 * (sops.go walkBranch/walkSlice): the path holds mapping keys only (sequence indices
 * are not part of it); each container pushes a comment level holding the comments
 * seen since its last non-comment item; a comment is pushed before it is visited.
 * Null leaves are skipped entirely.
 *
 * One walker, two views of the AAD: `walkDocumentParts` gives it in parts (`head`, then —
 * for a mapping value — `key` and `:`), so the encrypt passes write it without building a
 * string per value; `walkDocuments` gives it as one string.
 */
export interface WalkVisitor {
  leaf(leaf: Leaf, path: readonly string[], comments: readonly (readonly string[])[], aad: string): void;
  comment(comment: Comment, path: readonly string[], comments: readonly (readonly string[])[], aad: string): void;
}

export function walkDocuments(documents: readonly MapNode[], visitor: WalkVisitor): void {
  walkDocumentParts(documents, {
    leaf: (leaf, path, comments, head, key) => visitor.leaf(leaf, path, comments, key === undefined ? head : leafAad(head, key)),
    comment: (comment, path, comments, head) => visitor.comment(comment, path, comments, head),
  });
}

/**
 * A leaf's AAD as one flat string. `prefix + key + ":"` makes two cons strings that are
 * flattened into a third copy when the AAD is written as bytes; kept for every value
 * (100k of them), that is some 6 MB more resident memory than a joined string.
 */
function leafAad(prefix: string, key: string): string {
  return [prefix, key, ":"].join("");
}

/** AAD for a path: keys joined by `:` plus a trailing `:`. */
export function aadOf(path: readonly string[]): string {
  return path.join(":") + ":";
}

/** `walkDocumentParts`: the AAD is `key === undefined ? head : head + key + ":"` (`aadText`). */
export interface PartsVisitor {
  leaf(leaf: Leaf, path: readonly string[], comments: readonly (readonly string[])[], head: string, key: string | undefined): void;
  comment(comment: Comment, path: readonly string[], comments: readonly (readonly string[])[], head: string): void;
}

/** The AAD a `walkDocumentParts` visit describes. */
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
