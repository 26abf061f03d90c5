import type { Comment, Leaf, MapEntry, MapNode, Node, SeqNode } from "../tree/types.js";
import type { PathSegment } from "../tree/paths.js";

/**
 * Three-way merge of decrypted document trees, value by value:
 * - maps merge key by key (recursively), so edits to different keys never conflict;
 * - sequences and scalars are whole values: one side's change wins, identical changes
 *   agree, different changes conflict;
 * - a key deleted on one side and untouched on the other is deleted; deleted on one side
 *   and changed on the other is a conflict;
 * - comments (the run before each key, and a map's trailing run) take the side that
 *   changed them, ours when both did;
 * - on conflict the result keeps OURS's value and the path is reported.
 * Order: ours's keys in ours's order; keys only theirs added follow their predecessor.
 */
export interface TreeMergeResult {
  documents: MapNode[];
  /** Paths (map keys) whose value could not be merged; ours was kept. */
  conflicts: PathSegment[][];
}

export function mergeDocuments(base: MapNode[] | undefined, ours: MapNode[], theirs: MapNode[]): TreeMergeResult {
  const conflicts: PathSegment[][] = [];
  if (ours.length !== theirs.length) {
    return { documents: ours, conflicts: [["(number of YAML documents)"]] };
  }
  const sameBase = base !== undefined && base.length === ours.length;
  const documents = ours.map((doc, i) => mergeMap(sameBase ? base[i] : undefined, doc, theirs[i]!, [], conflicts));
  return { documents, conflicts };
}

interface Segment {
  lead: Comment[];
  entry: MapEntry;
}

interface Segmented {
  keys: string[];
  byKey: Map<string, Segment>;
  tail: Comment[];
}

function segment(map: MapNode | undefined): Segmented {
  const out: Segmented = { keys: [], byKey: new Map(), tail: [] };
  let pending: Comment[] = [];
  for (const item of map?.items ?? []) {
    if (item.kind === "comment") {
      pending.push(item);
      continue;
    }
    if (!out.byKey.has(item.key)) out.keys.push(item.key);
    out.byKey.set(item.key, { lead: pending, entry: item });
    pending = [];
  }
  out.tail = pending;
  return out;
}

function mergeComments(base: Comment[] | undefined, ours: Comment[] | undefined, theirs: Comment[] | undefined): Comment[] {
  const o = ours ?? [];
  const t = theirs ?? [];
  return commentsEqual(base ?? [], o) ? t : o;
}

function mergeMap(base: MapNode | undefined, ours: MapNode, theirs: MapNode, path: PathSegment[], conflicts: PathSegment[][]): MapNode {
  const b = segment(base);
  const o = segment(ours);
  const t = segment(theirs);
  const chosen = new Map<string, Segment>();
  for (const key of new Set([...o.keys, ...t.keys, ...b.keys])) {
    const bs = b.byKey.get(key);
    const os = o.byKey.get(key);
    const ts = t.byKey.get(key);
    const entry = mergeEntry(bs?.entry, os?.entry, ts?.entry, [...path, key], conflicts);
    if (entry) chosen.set(key, { lead: mergeComments(bs?.lead, os?.lead, ts?.lead), entry });
  }
  // Ours's order, then keys only in theirs after their predecessor in theirs.
  const order = o.keys.filter((k) => chosen.has(k));
  let previous: string | undefined;
  for (const key of t.keys) {
    if (chosen.has(key) && !order.includes(key)) {
      const at = previous === undefined ? 0 : order.indexOf(previous) + 1;
      order.splice(at, 0, key);
    }
    if (order.includes(key)) previous = key;
  }
  const items: (MapEntry | Comment)[] = [];
  for (const key of order) {
    const seg = chosen.get(key)!;
    items.push(...seg.lead, seg.entry);
  }
  items.push(...mergeComments(b.tail, o.tail, t.tail));
  return { kind: "map", items, ...(ours.src !== undefined ? { src: ours.src } : {}) };
}

function mergeEntry(b: MapEntry | undefined, o: MapEntry | undefined, t: MapEntry | undefined, path: PathSegment[], conflicts: PathSegment[][]): MapEntry | undefined {
  if (o && t) {
    if (nodesEqual(o.value, t.value, true)) return o;
    if (b && nodesEqual(b.value, o.value, true)) return t;
    if (b && nodesEqual(b.value, t.value, true)) return o;
    if (o.value.kind === "map" && t.value.kind === "map" && (!b || b.value.kind === "map")) {
      const value = mergeMap(b?.value as MapNode | undefined, o.value, t.value, path, conflicts);
      return { ...o, value };
    }
    if (nodesEqual(o.value, t.value, false)) return o; // only comments differ: ours's
    conflicts.push(path);
    return o;
  }
  if (o) {
    if (!b) return o; // ours added
    if (nodesEqual(b.value, o.value, true)) return undefined; // theirs deleted, ours untouched
    conflicts.push(path); // ours changed, theirs deleted
    return o;
  }
  if (t) {
    if (!b) return t; // theirs added
    if (nodesEqual(b.value, t.value, true)) return undefined; // ours deleted, theirs untouched
    conflicts.push(path); // theirs changed, ours deleted: keep ours (deleted)
    return undefined;
  }
  return undefined;
}

function commentsEqual(a: readonly Comment[], b: readonly Comment[]): boolean {
  return a.length === b.length && a.every((c, i) => c.text === b[i]!.text);
}

/** Structural equality of values; with `comments`, comment texts count too. */
export function nodesEqual(a: Node, b: Node, comments: boolean): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "leaf") return leavesEqual(a, b as Leaf);
  if (a.kind === "seq") return itemsEqual(a.items, (b as SeqNode).items, comments);
  return itemsEqual(a.items, (b as MapNode).items, comments);
}

function itemsEqual(a: readonly (Node | MapEntry | Comment)[], b: readonly (Node | MapEntry | Comment)[], comments: boolean): boolean {
  const fa = comments ? a : a.filter((i) => i.kind !== "comment");
  const fb = comments ? b : b.filter((i) => i.kind !== "comment");
  if (fa.length !== fb.length) return false;
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i]!;
    const y = fb[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === "comment") {
      if (x.text !== (y as Comment).text) return false;
    } else if (x.kind === "entry") {
      const e = y as MapEntry;
      if (x.key !== e.key || !nodesEqual(x.value, e.value, comments)) return false;
    } else if (!nodesEqual(x, y as Node, comments)) return false;
  }
  return true;
}

function leavesEqual(a: Leaf, b: Leaf): boolean {
  const x = a.value;
  const y = b.value;
  if (x.type !== y.type) return false;
  if (x.type === "null") return true;
  if (x.type === "bytes") return Buffer.from(x.value).equals(Buffer.from((y as typeof x).value));
  return Object.is(x.value, (y as typeof x).value);
}
