import { FormatError } from "../errors.js";
import type { MapNode, Node } from "../tree/types.js";

/**
 * Plain values of the `sops` metadata block, decoupled from any format. Ints are bigint
 * (as the tree keeps them), floats number. Record key order is emission order.
 */
export type RawValue = string | bigint | number | boolean | null | RawValue[] | RawRecord;
export interface RawRecord {
  [key: string]: RawValue;
}

/** Convert a tree node (the parsed `sops` entry) to raw values. Comments are dropped. */
export function nodeToRaw(node: Node, file = ""): RawValue {
  switch (node.kind) {
    case "leaf": {
      const v = node.value;
      switch (v.type) {
        case "null":
          return null;
        case "bytes":
          return new TextDecoder().decode(v.value);
        default:
          return v.value;
      }
    }
    case "seq":
      return node.items.filter((i) => i.kind !== "comment").map((i) => nodeToRaw(i as Node, file));
    case "map": {
      const out: RawRecord = {};
      for (const item of node.items) {
        if (item.kind === "comment") continue;
        out[item.key] = nodeToRaw(item.value, file);
      }
      return out;
    }
    default:
      throw new FormatError(`${file}: unexpected node in sops metadata`);
  }
}

/** Convert raw values to a tree node, for formats to emit. */
export function rawToNode(value: RawValue): Node {
  if (value === null) return { kind: "leaf", value: { type: "null" } };
  if (typeof value === "string") return { kind: "leaf", value: { type: "str", value } };
  if (typeof value === "bigint") return { kind: "leaf", value: { type: "int", value } };
  if (typeof value === "number") return { kind: "leaf", value: { type: "float", value } };
  if (typeof value === "boolean") return { kind: "leaf", value: { type: "bool", value } };
  if (Array.isArray(value)) return { kind: "seq", items: value.map(rawToNode) };
  const map: MapNode = { kind: "map", items: [] };
  for (const [key, v] of Object.entries(value)) map.items.push({ kind: "entry", key, value: rawToNode(v) });
  return map;
}
