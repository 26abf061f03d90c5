/**
 * Tree comparisons against a re-read of the emitted text: `sameData` (did every key land
 * in its table?) and `reorderLike` (put entries in the order TOML reads them back, so a
 * MAC computed over the tree matches the file).
 */
import type { Comment, MapEntry, Node } from "../../tree/types.js";
import { canonicalTime } from "./scalars.js";

function items(node: Node & { items: readonly (Node | MapEntry | Comment)[] }): (Node | MapEntry)[] {
  return node.items.filter((i): i is Node | MapEntry => i.kind !== "comment");
}

/** Same keys (any order), same array items, same scalar types and values; comments ignored. */
export function sameData(a: Node, b: Node): boolean {
  if (a.kind === "leaf" || b.kind === "leaf") {
    if (a.kind !== "leaf" || b.kind !== "leaf") return false;
    const x = a.value;
    const y = b.value;
    if (x.type === "bytes" && y.type === "str") return new TextDecoder().decode(x.value) === y.value;
    if (x.type !== y.type) return false;
    if (x.type === "float") return Object.is(x.value, (y as { value: number }).value);
    if (x.type === "time") return canonicalTime(x.value) === (y as { value: string }).value;
    return "value" in x && x.value === (y as { value: unknown }).value;
  }
  if (a.kind !== b.kind) return false;
  const xs = items(a);
  const ys = items(b);
  if (xs.length !== ys.length) return false;
  if (a.kind === "seq") return xs.every((x, i) => sameData(x as Node, ys[i] as Node));
  const byKey = new Map<string, Node>();
  for (const y of ys) byKey.set((y as MapEntry).key, (y as MapEntry).value);
  return xs.every((x) => {
    const other = byKey.get((x as MapEntry).key);
    return other !== undefined && sameData((x as MapEntry).value, other);
  });
}

/**
 * Reorder the entries of `tree` (in place) to the order of the same entries in `read`.
 * Comments travel with the entry they precede; trailing comments stay last.
 */
export function reorderLike(tree: Node, read: Node): void {
  if (tree.kind === "seq" && read.kind === "seq") {
    const xs = items(tree);
    const ys = items(read);
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) reorderLike(xs[i] as Node, ys[i] as Node);
    return;
  }
  if (tree.kind !== "map" || read.kind !== "map") return;
  const groups = new Map<string, (MapEntry | Comment)[]>();
  let pending: Comment[] = [];
  for (const item of tree.items) {
    if (item.kind === "comment") pending.push(item);
    else {
      groups.set(item.key, [...pending, item]);
      pending = [];
    }
  }
  const ordered: (MapEntry | Comment)[] = [];
  for (const item of read.items) {
    if (item.kind !== "entry") continue;
    const group = groups.get(item.key);
    if (!group) continue;
    groups.delete(item.key);
    ordered.push(...group);
    reorderLike((group[group.length - 1] as MapEntry).value, item.value);
  }
  for (const group of groups.values()) ordered.push(...group);
  ordered.push(...pending);
  if (ordered.some((item, i) => item !== tree.items[i])) tree.items = ordered;
}
