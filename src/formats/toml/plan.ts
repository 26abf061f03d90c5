/**
 * Planning a layout-preserving emit: which parsed statements are still in the tree
 * (the engine edits it in place), and where entries and comments that are new go.
 * Each layout table/array keeps a snapshot of its parsed items; an unchanged container
 * (the common case: values replaced in place) costs one array comparison.
 *
 * Placement keeps every key in its table: new key/values go after the last key/value
 * of their section (dotted-key tables: as `a.new = …` in the section that made them);
 * new tables after their section's body (root tables at the end of the file, which is
 * where the `sops` table lands); new keys of a header-implied table under a new `[a]`
 * header right before the first header that implied it; new array-of-tables elements at
 * the end of the file (then the output is re-read and checked, see `verify`).
 */
import type { Comment, MapEntry, MapNode, Node, SeqNode } from "../../tree/types.js";
import { isTableLike, type Out, writeKv, writeTableEntry } from "./emit-fresh.js";
import { writePath } from "./keys.js";
import { type DocSrc, type ImplicitSrc, type Section, type Snapshot, srcOf } from "./layout.js";
import { childPath, type RenderContext, renderValue, writeComment } from "./render.js";

/** Writes new text at an insertion point. */
export type Insert = (out: Out) => void;

type Container = MapNode | SeqNode;
type Item = MapEntry | Comment | Node;

/** The outcome of planning: liveness, insertions and whether re-reading is needed. */
export interface Plan {
  /** Is `item` (as parsed) still in `container`, and the container still in the tree? */
  isIn(item: Item, container: Container): boolean;
  /** Text to write before statement i (i = stmts.length: at the end). */
  readonly inserts: Map<number, Insert[]>;
  /** Something was placed where TOML may read it back elsewhere: re-read and compare. */
  verify: boolean;
  /** New items were placed where re-reading yields another entry order. */
  reorders: boolean;
  /** New tables written fresh at the end of the file (their own order is `orderFresh`'s). */
  readonly freshTables: (MapNode | SeqNode)[];
}

function snapOf(node: Container): Snapshot | undefined {
  return (node.src as { snap?: Snapshot } | undefined)?.snap;
}

function intact(node: Container, snap: Snapshot): boolean {
  const { items } = node;
  if (items.length !== snap.items.length) return false;
  const values = snap.values;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item !== snap.items[i]) return false;
    if (values && item.kind === "entry" && item.value !== values[i]) return false;
  }
  return true;
}

/** Were items only appended after the parsed ones? */
function appendedOnly(node: Container, snap: Snapshot): boolean {
  const { items } = node;
  if (items.length < snap.items.length) return false;
  for (let i = 0; i < snap.items.length; i++) {
    const item = items[i]!;
    if (item !== snap.items[i] || (snap.values && item.kind === "entry" && item.value !== snap.values[i])) return false;
  }
  return true;
}

/** Is a parsed value one the statements lay out (a table or array of tables)? */
function isLayoutValue(node: Node | undefined): boolean {
  const k = node ? srcOf(node)?.toml : undefined;
  return k === "section" || k === "dotted" || k === "implicit" || k === "aot";
}

/** Where new key/value lines of a section go. */
function kvInsert(section: Section): number {
  if (section.lastKv >= 0) return section.lastKv + 1;
  return section.kind === "root" ? section.bodyEnd : section.header + 1;
}

/** Plan the emit of `root`, parsed with layout `doc` and possibly edited since. */
export function plan(root: MapNode, doc: DocSrc, ctx: RenderContext): Plan {
  const end = doc.stmts.length;
  const reached = new Set<Container>();
  /** Changed containers: their current items. */
  const current = new Map<Container, Set<Item>>();
  const inserts = new Map<number, Insert[]>();
  const result: Plan = {
    isIn: (item, container) => reached.has(container) && (current.get(container)?.has(item) ?? true),
    inserts,
    verify: false,
    reorders: false,
    freshTables: [],
  };
  const add = (at: number, fn: Insert): void => {
    const list = inserts.get(at);
    if (list) list.push(fn);
    else inserts.set(at, [fn]);
  };

  /** Mark a layout container reached; returns a "is this item new?" test. */
  const enter = (node: Container): ((item: Item) => boolean) => {
    reached.add(node);
    const snap = snapOf(node);
    if (!snap) return () => true;
    if (intact(node, snap)) return () => false;
    // Removing items can change where TOML first sees a table (so the entry order);
    // only appending to the root (the `sops` table) is known to keep it.
    if (node !== root || !appendedOnly(node, snap)) result.reorders = true;
    current.set(node, new Set<Item>(node.items));
    const before = new Map<Item, Node | undefined>();
    snap.items.forEach((item, i) => before.set(item, snap.values?.[i]));
    return (item) => {
      if (!before.has(item)) return true;
      // An entry whose table/array value was replaced wholesale is written anew.
      if (item.kind !== "entry") return false;
      const was = before.get(item);
      return was !== item.value && isLayoutValue(was);
    };
  };

  const visit = (node: Node, path: readonly string[]): void => {
    if (node.kind === "seq") {
      if (srcOf(node)?.toml === "aot") visitAot(node, path);
      return;
    }
    if (node.kind !== "map") return;
    const src = srcOf(node);
    if (src?.toml === "doc") visitSection(node, doc.root, path);
    else if (src?.toml === "section") visitSection(node, src.section, path);
    else if (src?.toml === "implicit") visitImplicit(node, src, path);
    else if (src?.toml === "dotted") {
      const at = kvInsert(src.section);
      const indent = src.section.indent;
      if (!node.items.some((i) => i.kind === "entry")) {
        // Its keys were all removed: keep the (now empty) table.
        result.reorders = true;
        add(at, (o) => o.line(indent + writePath(src.prefix) + " = {}"));
      }
      forItems(node, path, (c) => add(at, (o) => o.line(indent + writeComment(c, ctx, path))), (e) => {
        result.reorders = true;
        const key = writePath([...src.prefix, e.key]);
        add(at, (o) => o.line(indent + key + " = " + renderValue(e.value, ctx, childPath(path, e.key), indent)));
      });
    }
  };

  /** Calls onComment/onEntry for new items (with the new comments above an entry), recurses into the others. */
  const forItems = (
    map: MapNode,
    path: readonly string[],
    onComment: (c: Comment) => void,
    onEntry: (e: MapEntry, heads: Comment[]) => void,
  ): void => {
    const isNew = enter(map);
    let heads: Comment[] = [];
    for (const item of map.items) {
      if (item.kind === "comment") {
        if (isNew(item)) heads.push(item);
        continue;
      }
      if (isNew(item)) {
        onEntry(item, heads);
      } else {
        for (const c of heads) onComment(c);
        if (item.value.kind !== "leaf") visit(item.value, [...path, item.key]);
      }
      heads = [];
    }
    for (const c of heads) onComment(c);
  };

  const visitSection = (map: MapNode, section: Section, path: readonly string[]): void => {
    const kvAt = kvInsert(section);
    const tableAt = section.kind === "root" ? end : section.subtreeEnd;
    let tail: Item | undefined; // the last entry: a new root table there is read back last
    for (let i = map.items.length - 1; i >= 0 && !tail; i--) if (map.items[i]!.kind === "entry") tail = map.items[i];
    const comment = (c: Comment): void => add(kvAt, (o) => o.line(section.indent + writeComment(c, ctx, path)));
    forItems(map, path, comment, (e, heads) => {
      const p = [...path, e.key];
      const value = e.value;
      if (isTableLike(value)) {
        if (section.kind !== "root" || e !== tail) result.reorders = true;
        result.freshTables.push(value);
        add(tableAt, (o) => writeTableEntry(o, p, value, heads, ctx));
      } else {
        result.reorders = true;
        heads.forEach(comment);
        add(kvAt, (o) => writeKv(o, section.indent, e.key, value, ctx, p));
      }
    });
  };

  const visitImplicit = (map: MapNode, src: ImplicitSrc, path: readonly string[]): void => {
    const kv: (MapEntry | Comment)[] = [];
    const tables: { path: string[]; value: MapNode | SeqNode; heads: Comment[] }[] = [];
    forItems(
      map,
      path,
      (c) => kv.push(c),
      (e, heads) => {
        const value = e.value;
        if (isTableLike(value)) tables.push({ path: [...path, e.key], value, heads });
        else kv.push(...heads, e);
      },
    );
    const empty = !map.items.some((i) => i.kind === "entry");
    if (kv.length === 0 && tables.length === 0 && !empty) return;
    result.reorders = true;
    add(src.before, (o) => {
      if (kv.length > 0 || empty) {
        o.blank();
        o.line(`[${writePath(src.path)}]`);
        for (const item of kv) {
          if (item.kind === "comment") o.line(writeComment(item, ctx, path));
          else writeKv(o, "", item.key, item.value, ctx, [...path, item.key]);
        }
      }
      for (const t of tables) writeTableEntry(o, t.path, t.value, t.heads, ctx);
    });
  };

  const visitAot = (seq: SeqNode, path: readonly string[]): void => {
    const isNew = enter(seq);
    if (!isTableLike(seq)) {
      // A value that is not a table was put in an array of tables (or none is left):
      // `[[x]]` headers cannot express it; the re-read check falls back to a fresh layout.
      result.verify = true;
      result.reorders = true;
    }
    let heads: Comment[] = [];
    for (const item of seq.items) {
      if (item.kind === "comment") {
        if (isNew(item)) heads.push(item);
        continue;
      }
      if (isNew(item) && item.kind === "map") {
        result.verify = true;
        result.reorders = true;
        const elem: SeqNode = { kind: "seq", items: [...heads, item] };
        add(end, (o) => writeTableEntry(o, path, elem, [], ctx));
      } else if (!isNew(item)) {
        visit(item, path);
      }
      heads = [];
    }
    const trailing = heads;
    if (trailing.length > 0) add(end, (o) => trailing.forEach((c) => o.line(writeComment(c, ctx, path))));
  };

  visit(root, []);
  return result;
}
