/** Small wrappers so tests read as text in, text out. */
import { tomlFormat } from "../../../src/formats/toml/index.js";
import type { MapEntry, MapNode, Node, SeqNode } from "../../../src/tree/types.js";

export const FILE = "config.toml";

export function parse(text: string | Uint8Array): MapNode {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return (tomlFormat.parse(bytes, { file: FILE, mode: "plain" }) as MapNode[])[0]!;
}

export function emit(doc: MapNode): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(tomlFormat.emit([doc], { file: FILE }));
}

/** The node at a key path (array items by number). */
export function at(node: Node, ...path: (string | number)[]): Node {
  let cur: Node = node;
  for (const key of path) {
    if (typeof key === "number") {
      const items = (cur as SeqNode).items.filter((i) => i.kind !== "comment");
      cur = items[key] as Node;
    } else {
      const entry = (cur as MapNode).items.find((i): i is MapEntry => i.kind === "entry" && i.key === key);
      if (!entry) throw new Error(`no key ${key}`);
      cur = entry.value;
    }
  }
  return cur;
}

/** Comment texts and entry keys of a container, in order (`#text` for comments). */
export function layoutOf(node: Node): string[] {
  if (node.kind === "leaf") return [];
  return node.items.map((i) => (i.kind === "comment" ? `#${i.text}` : i.kind === "entry" ? i.key : `<${i.kind}>`));
}

/** Remove a top-level key (as the engine does with `sops` on decrypt). */
export function removeKey(map: MapNode, key: string): void {
  map.items = map.items.filter((i) => !(i.kind === "entry" && i.key === key));
}
