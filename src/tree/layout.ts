import type { MapNode, Node } from "./types.js";

/**
 * Drop every node's format-private layout hints. Needed when a tree parsed in one
 * format is emitted in another (`--output-type`), whose emitter must render afresh.
 */
export function stripLayout(documents: MapNode[]): void {
  for (const doc of documents) strip(doc);
}

function strip(node: Node): void {
  delete node.src;
  if (node.kind === "leaf") return;
  for (const item of node.items) {
    delete item.src;
    if (item.kind === "entry") strip(item.value);
    else if (item.kind !== "comment") strip(item);
  }
}
