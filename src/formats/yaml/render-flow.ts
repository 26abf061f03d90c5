/** Flow-style rendering (`[a, b]`, `{k: v}`) for re-rendered flow collections. */
import type { Node } from "../../tree/types.js";
import { FreshEmitter } from "./fresh-emit.js";

export function renderFlow(node: Node): string {
  if (node.kind === "leaf") return new FreshEmitter(2).scalar(node.value, 0, -1, true).text;
  if (node.kind === "seq") {
    const items = node.items.filter((i) => i.kind !== "comment") as Node[];
    return "[" + items.map(renderFlow).join(", ") + "]";
  }
  const em = new FreshEmitter(2);
  const entries = node.items.flatMap((i) => (i.kind === "entry" ? [em.key(i.key) + ": " + renderFlow(i.value)] : []));
  return "{" + entries.join(", ") + "}";
}
