import type { MapNode, Node } from "../../../src/tree/types.js";
import { formatFloatG } from "../../../src/tree/float-format.js";
import { yamlFormat } from "../../../src/formats/yaml/index.js";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { ignoreBOM: true });

/** Parse YAML text with the format (awaits the fallback when it is used). */
export async function parse(text: string | Uint8Array, file = "t.yaml"): Promise<MapNode[]> {
  return yamlFormat.parse(typeof text === "string" ? enc.encode(text) : text, { file, mode: "plain" });
}

export function emit(docs: MapNode[], indent?: number): string {
  return dec.decode(yamlFormat.emit(docs, indent === undefined ? { file: "t.yaml" } : { file: "t.yaml", indent }));
}

/**
 * The tree in the JSON shape of the go-yaml + SOPS oracle used to make the goldens:
 * `{map: [...]}`, `{seq: [...]}`, `{comment, inline}`, `{str}`, `{int}` (decimal text),
 * `{float}` (Go 'g' text), `{bool}`, `{null: true}`, `{time}`.
 */
export function toOracle(n: Node): unknown {
  const comment = (c: { text: string; src?: unknown }) => ({ comment: c.text, inline: (c.src as { inline?: boolean } | undefined)?.inline === true });
  if (n.kind === "map") return { map: n.items.map((it) => (it.kind === "comment" ? comment(it) : { key: it.key, value: toOracle(it.value) })) };
  if (n.kind === "seq") return { seq: n.items.map((it) => (it.kind === "comment" ? comment(it) : toOracle(it))) };
  const v = n.value;
  switch (v.type) {
    case "str":
      return { str: v.value };
    case "int":
      return { int: v.value.toString() };
    case "float":
      return { float: formatFloatG(v.value) };
    case "bool":
      return { bool: v.value };
    case "null":
      return { null: true };
    case "time":
      return { time: v.value };
    default:
      return { other: v.type };
  }
}

/** Visit every leaf and comment in document order. */
export function walk(n: Node, leaf: (l: Extract<Node, { kind: "leaf" }>) => void, comment: (c: { text: string }) => void = () => {}): void {
  if (n.kind === "leaf") return leaf(n);
  for (const it of n.items) {
    if (it.kind === "comment") comment(it);
    else if (it.kind === "entry") walk(it.value, leaf, comment);
    else walk(it, leaf, comment);
  }
}
