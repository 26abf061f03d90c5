/**
 * The flattener shared by the flat formats (dotenv, INI): the nested `sops` metadata
 * becomes one `key = string` pair per leaf, with `__map_<key>` / `__list_<i>` path
 * segments (SOPS `stores/flatten.go`), and back. Also the scalar → text rendering SOPS
 * uses for values of flat formats (`stores.ValToString`).
 */
import { FormatError } from "../errors.js";
import { scalarToText } from "../tree/value-text.js";
import type { MapNode, Node, ScalarValue, SeqNode } from "../tree/types.js";

const MAP_SEPARATOR = "__map_";
const LIST_SEPARATOR = "__list_";

/** SOPS's `ValToString`, shared with exec-env (see src/tree/value-text.ts). */
export { scalarToText } from "../tree/value-text.js";

function leafText(value: ScalarValue): string {
  const text = scalarToText(value);
  return typeof text === "string" ? text : new TextDecoder().decode(text);
}

/**
 * Flatten the `sops` metadata map into `[prefix + path, text]` pairs in tree order
 * (the metadata codec already sorts maps). Empty maps and lists vanish; comments are
 * skipped; a collision (two paths spelling the same key) is an error as in SOPS.
 */
export function flattenMetadata(sops: MapNode, prefix: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const descend = (node: Node, key: string): void => {
    if (node.kind === "map") {
      for (const item of node.items) {
        if (item.kind === "entry") descend(item.value, key + MAP_SEPARATOR + item.key);
      }
    } else if (node.kind === "seq") {
      descendSeq(node, key + LIST_SEPARATOR);
    } else {
      if (seen.has(key)) throw new FormatError(`found key collision "${key}" while flattening metadata`);
      seen.add(key);
      out.push([key, leafText(node.value)]);
    }
  };
  const descendSeq = (node: SeqNode, key: string): void => {
    let i = 0;
    for (const item of node.items) {
      if (item.kind === "comment") continue;
      descend(item, key + String(i));
      i++;
    }
  };
  for (const item of sops.items) {
    if (item.kind === "entry") descend(item.value, prefix + item.key);
  }
  return out;
}

type Token = { map: string } | { list: number };

/** Split `pgp__list_0__map_enc` into `[map pgp, list 0, map enc]` (SOPS `tokenize`). */
function tokenize(path: string): Token[] {
  const tokens: Token[] = [];
  let state: "normal" | "map" | "list" = "normal";
  let start = 0;
  const finish = (end: number): void => {
    if (state === "list") {
      // Go's strconv.Atoi error is ignored by SOPS: a malformed index reads as 0.
      const text = path.slice(start + LIST_SEPARATOR.length, end);
      const n = /^[+-]?\d+$/.test(text) ? Number(text) : 0;
      tokens.push({ list: n });
    } else {
      tokens.push({ map: path.slice(start + (state === "map" ? MAP_SEPARATOR.length : 0), end) });
    }
    start = end;
  };
  let i = 0;
  while (i < path.length) {
    if (path.startsWith(MAP_SEPARATOR, i)) {
      finish(i);
      state = "map";
      i += MAP_SEPARATOR.length;
    } else if (path.startsWith(LIST_SEPARATOR, i)) {
      finish(i);
      state = "list";
      i += LIST_SEPARATOR.length;
    } else {
      i++;
    }
  }
  finish(path.length);
  return tokens;
}

interface Slot {
  value?: string;
  keys?: Map<string, Slot>;
  indices?: Map<number, Slot>;
}

function convert(slot: Slot, path: string): Node {
  const kinds = Number(slot.value !== undefined) + Number(!!slot.keys?.size) + Number(!!slot.indices?.size);
  if (kinds > 1) throw new FormatError(`error while unflattening metadata "${path}": type mismatch`);
  if (slot.value !== undefined) return { kind: "leaf", value: { type: "str", value: slot.value } };
  if (slot.indices?.size) {
    const size = slot.indices.size;
    const items: Node[] = [];
    for (let i = 0; i < size; i++) {
      const child = slot.indices.get(i);
      if (!child) throw new FormatError(`error while unflattening metadata "${path}": incomplete list`);
      items.push(convert(child, path));
    }
    return { kind: "seq", items };
  }
  const map: MapNode = { kind: "map", items: [] };
  // SOPS sorts unflattened map keys (Go sort.Strings: bytewise, which equals UTF-16 order for ASCII keys).
  const keys = [...(slot.keys?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) map.items.push({ kind: "entry", key, value: convert(slot.keys!.get(key)!, path) });
  return map;
}

/**
 * Rebuild the nested `sops` metadata from flattened pairs. `prefix` (`sops_` for
 * dotenv, empty for INI) is removed from each key. Values stay strings; the metadata
 * codec accepts stringified numbers and bools as SOPS does. Maps come out sorted.
 */
export function unflattenMetadata(pairs: ReadonlyArray<readonly [string, string]>, prefix: string): MapNode {
  const root: Slot = {};
  for (const [fullKey, value] of pairs) {
    const path = fullKey.startsWith(prefix) ? fullKey.slice(prefix.length) : fullKey;
    let slot = root;
    for (const token of tokenize(path)) {
      let next: Slot | undefined;
      if ("map" in token) {
        slot.keys ??= new Map();
        next = slot.keys.get(token.map);
        if (!next) slot.keys.set(token.map, (next = {}));
      } else {
        slot.indices ??= new Map();
        next = slot.indices.get(token.list);
        if (!next) slot.indices.set(token.list, (next = {}));
      }
      slot = next;
    }
    if (slot.value !== undefined || slot.keys || slot.indices) {
      throw new FormatError(`error while unflattening metadata "${fullKey}": duplicate value`);
    }
    slot.value = value;
  }
  const node = convert(root, prefix);
  if (node.kind !== "map") throw new FormatError("error while unflattening metadata: cannot find root");
  return node;
}
