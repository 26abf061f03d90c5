import type { MapNode, Node } from "../../src/tree/types.js";

/** A decrypted tree as plain JSON-like values (comments dropped), to compare with `.values.json`. */
export function treeToValues(node: Node): unknown {
  switch (node.kind) {
    case "map": {
      const out: Record<string, unknown> = {};
      for (const item of node.items) if (item.kind === "entry") out[item.key] = treeToValues(item.value);
      return out;
    }
    case "seq":
      return node.items.filter((i) => i.kind !== "comment").map((i) => treeToValues(i as Node));
    case "leaf": {
      const v = node.value;
      switch (v.type) {
        case "null":
          return null;
        case "int":
          return Number(v.value);
        case "bytes":
          return Buffer.from(v.value).toString("utf8");
        default:
          return v.value;
      }
    }
  }
}

export function documentsToValues(documents: readonly MapNode[]): unknown {
  return documents.length === 1 ? treeToValues(documents[0]!) : documents.map(treeToValues);
}
