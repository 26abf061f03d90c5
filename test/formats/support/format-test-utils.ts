/** Helpers for the json/binary/dotenv/ini format tests. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseJson } from "../../../src/formats/json/index.js";
import type { Format, FormatName } from "../../../src/formats/types.js";
import type { MapNode, Node } from "../../../src/tree/types.js";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Parse text or bytes with a format; returns the single document. */
export async function parseOne(format: Format, input: string | Uint8Array, mode: "plain" | "encrypted" = "plain", file = "test"): Promise<MapNode> {
  const docs = await format.parse(typeof input === "string" ? enc(input) : input, { file, mode });
  return docs[0]!;
}

/** Parse then emit: the faithful round trip. */
export async function roundTrip(format: Format, input: string | Uint8Array, mode: "plain" | "encrypted" = "plain"): Promise<Uint8Array> {
  return format.emit([await parseOne(format, input, mode)], { file: "test" });
}

/** A deep copy without layout hints (what a tree built by another format looks like). */
export function stripSrc<T extends Node>(node: T): T {
  if (node.kind === "leaf") return { kind: "leaf", value: node.value } as T;
  if (node.kind === "seq") return { kind: "seq", items: node.items.map((i) => (i.kind === "comment" ? { kind: "comment", text: i.text } : stripSrc(i))) } as T;
  return {
    kind: "map",
    items: node.items.map((i) => (i.kind === "comment" ? { kind: "comment", text: i.text } : { kind: "entry", key: i.key, value: stripSrc(i.value) })),
  } as T;
}

/** The child of a map by key (first match) or of a seq by index. */
export function at(node: Node, ...path: (string | number)[]): Node {
  let cur = node;
  for (const p of path) {
    if (typeof p === "number") {
      if (cur.kind !== "seq") throw new Error(`not a seq at ${p}`);
      cur = cur.items.filter((i) => i.kind !== "comment")[p] as Node;
    } else {
      if (cur.kind !== "map") throw new Error(`not a map at ${p}`);
      const e = cur.items.find((i) => i.kind === "entry" && i.key === p);
      if (!e || e.kind !== "entry") throw new Error(`no key ${p}`);
      cur = e.value;
    }
    if (!cur) throw new Error(`missing ${String(p)}`);
  }
  return cur;
}

/** The scalar value of a leaf (`bytes` as text). */
export function val(node: Node): unknown {
  if (node.kind !== "leaf") throw new Error("not a leaf");
  const v = node.value;
  if (v.type === "null") return null;
  if (v.type === "bytes") return dec(v.value);
  return v.value;
}

/**
 * Simulate decryption without crypto: every `ENC[…]` leaf takes the value at the same
 * path in the fixture's `.values.json` (typed by our own JSON parser), and the `sops`
 * entry is dropped. Returns false when the file has encrypted comments (not in values.json).
 */
export function fillFromValues(doc: MapNode, valuesFile: string): boolean {
  const values = parseJson(readFileSync(valuesFile), valuesFile);
  let ok = true;
  const walk = (node: Node, ref: Node): void => {
    if (node.kind === "leaf") {
      if (node.value.type === "str" && node.value.value.startsWith("ENC[") && ref.kind === "leaf") node.value = ref.value;
      return;
    }
    if (node.kind === "map") {
      for (const item of node.items) {
        if (item.kind === "comment") ok &&= !item.text.startsWith("ENC[");
        else if (ref.kind === "map" && ref.items.some((r) => r.kind === "entry" && r.key === item.key)) walk(item.value, at(ref, item.key));
      }
    } else {
      const items = node.items.filter((i): i is Node => i.kind !== "comment");
      items.forEach((item, i) => walk(item, at(ref, i)));
    }
  };
  doc.items = doc.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
  walk(doc, values);
  return ok;
}

/** `[path, format]` of every interop fixture of the given formats, from MANIFEST.md. */
export function interopFixtures(formats: FormatName[]): Array<[string, FormatName]> {
  const manifest = readFileSync(resolve(INTEROP_FIXTURES, "MANIFEST.md"), "utf8");
  const rows = [...manifest.matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)];
  return rows.map((m) => [m[1]!, m[2]! as FormatName] as [string, FormatName]).filter(([, f]) => formats.includes(f));
}

export function fixture(path: string): Uint8Array {
  return readFileSync(resolve(INTEROP_FIXTURES, path));
}

/** The `.values.json` beside a fixture (`x.enc.env` in generated-sops-3.3.1 → `x.values.json`). */
export function valuesFile(path: string): string {
  const direct = resolve(INTEROP_FIXTURES, path + ".values.json");
  return existsSync(direct) ? direct : resolve(INTEROP_FIXTURES, path.replace(/\.enc\.[^.]+$/, ".values.json"));
}
