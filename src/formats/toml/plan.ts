/**
 * Planning a layout-preserving emit: which parsed statements are still in the tree
 * (the engine edits it in place), and where entries and comments that are new go.
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
import type { DocSrc, ImplicitSrc, Section, Stmt } from "./layout.js";
import { srcOf } from "./layout.js";
import { type RenderContext, renderValue, writeComment } from "./render.js";

export type Insert = (out: Out) => void;

export interface Plan {
  /** Each tree item → the container it is in now. */
  readonly containerOf: Map<object, MapNode | SeqNode>;
  /** Text to write before statement i (i = stmts.length: at the end). */
  readonly inserts: Map<number, Insert[]>;
  /** Something was placed where TOML may read it back elsewhere: re-read and compare. */
  verify: boolean;
  /** New items were placed where re-reading yields another entry order. */
  reorders: boolean;
}

function indexContainers(root: MapNode): Map<object, MapNode | SeqNode> {
  const containerOf = new Map<object, MapNode | SeqNode>();
  const stack: (MapNode | SeqNode)[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    for (const item of node.items) {
      containerOf.set(item, node);
      const child = item.kind === "entry" ? item.value : item;
      if (child.kind === "map" || child.kind === "seq") stack.push(child);
    }
  }
  return containerOf;
}

/** Entries/comments/elements the statements account for; entries map to the value they must still hold. */
function coverage(stmts: readonly Stmt[]): Map<object, Node | null> {
  const covered = new Map<object, Node | null>();
  for (const s of stmts) {
    if (s.t === "comment") covered.set(s.comment, null);
    else if (s.t === "kv") {
      for (let i = 0; i < s.chain.length; i++) covered.set(s.chain[i]!.entry, s.chain[i + 1]?.container ?? null);
      if (s.inline) covered.set(s.inline, null);
    } else if (s.t === "header") {
      if (s.inline) covered.set(s.inline, null);
      if (s.seq) {
        covered.set(s.entry, s.seq);
        covered.set(s.section.map, null);
      } else covered.set(s.entry, s.section.map);
    }
  }
  return covered;
}

/** Where new key/value lines of a section go. */
function kvInsert(section: Section): number {
  if (section.lastKv >= 0) return section.lastKv + 1;
  return section.kind === "root" ? section.bodyEnd : section.header + 1;
}

export function plan(root: MapNode, doc: DocSrc, ctx: RenderContext): Plan {
  const containerOf = indexContainers(root);
  const covered = coverage(doc.stmts);
  const end = doc.stmts.length;
  const result: Plan = { containerOf, inserts: new Map(), verify: false, reorders: false };
  const add = (at: number, fn: Insert): void => {
    const list = result.inserts.get(at);
    if (list) list.push(fn);
    else result.inserts.set(at, [fn]);
  };
  const isNew = (item: MapEntry | Comment | Node): boolean => {
    // Tables implied by a header (`a` in `[a.b]`) have no statement of their own.
    if (item.kind === "entry" && srcOf(item.value)?.toml === "implicit") return false;
    const expected = covered.get(item);
    if (expected === undefined) return true;
    return expected !== null && item.kind === "entry" && item.value !== expected;
  };

  const visit = (node: Node, path: readonly string[]): void => {
    if (node.kind === "seq") visitSeq(node, path);
    else if (node.kind === "map") visitMap(node, path);
  };

  const visitMap = (map: MapNode, path: readonly string[]): void => {
    const src = srcOf(map);
    if (src?.toml === "doc") visitSection(map, doc.root, path);
    else if (src?.toml === "section") visitSection(map, src.section, path);
    else if (src?.toml === "dotted") {
      const at = kvInsert(src.section);
      if (!map.items.some((i) => i.kind === "entry")) {
        // Its keys were all removed: keep the (now empty) table.
        result.reorders = true;
        add(at, (o) => o.line(src.section.indent + writePath(src.prefix) + " = {}"));
      }
      forItems(map, path, (comment) => add(at, (o) => o.line(src.section.indent + writeComment(comment, ctx, path))), (e) => {
        const key = writePath([...src.prefix, e.key]);
        add(at, (o) => o.line(src.section.indent + key + " = " + renderValue(e.value, ctx, [...path, e.key], src.section.indent)));
        result.reorders = true;
      });
    } else if (src?.toml === "implicit") visitImplicit(map, src, path);
  };

  /** Calls onComment/onEntry for new items, recurses into the others. */
  const forItems = (
    map: MapNode,
    path: readonly string[],
    onComment: (c: Comment) => void,
    onEntry: (e: MapEntry, heads: Comment[]) => void,
  ): void => {
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
        visit(item.value, [...path, item.key]);
      }
      heads = [];
    }
    for (const c of heads) onComment(c);
  };

  const visitSection = (map: MapNode, section: Section, path: readonly string[]): void => {
    const kvAt = kvInsert(section);
    const tableAt = section.kind === "root" ? end : section.bodyEnd;
    // New tables at the very end of the root are read back last: entry order unchanged.
    const appended = new Set<MapEntry>();
    for (let i = map.items.length - 1; i >= 0 && section.kind === "root"; i--) {
      const item = map.items[i]!;
      if (item.kind === "comment") continue;
      if (!isNew(item) || !isTableLike(item.value)) break;
      appended.add(item);
    }
    forItems(
      map,
      path,
      (c) => {
        add(kvAt, (o) => o.line(section.indent + writeComment(c, ctx, path)));
      },
      (e, heads) => {
        const p = [...path, e.key];
        if (isTableLike(e.value)) {
          const value = e.value;
          if (!appended.has(e)) result.reorders = true;
          add(tableAt, (o) => writeTableEntry(o, p, value, heads, ctx));
        } else {
          result.reorders = true;
          for (const c of heads) add(kvAt, (o) => o.line(section.indent + writeComment(c, ctx, path)));
          add(kvAt, (o) => writeKv(o, section.indent, e.key, e.value, ctx, p));
        }
      },
    );
  };

  const visitImplicit = (map: MapNode, src: ImplicitSrc, path: readonly string[]): void => {
    const kv: (MapEntry | Comment)[] = [];
    const tables: { entry: MapEntry & { value: MapNode | SeqNode }; heads: Comment[] }[] = [];
    forItems(
      map,
      path,
      (c) => kv.push(c),
      (e, heads) => {
        const value = e.value;
        if (isTableLike(value)) tables.push({ entry: { ...e, value }, heads });
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
      for (const t of tables) writeTableEntry(o, [...path, t.entry.key], t.entry.value, t.heads, ctx);
    });
  };

  const visitSeq = (seq: SeqNode, path: readonly string[]): void => {
    if (srcOf(seq)?.toml !== "aot") return;
    let heads: Comment[] = [];
    for (const item of seq.items) {
      if (item.kind === "comment") {
        if (isNew(item)) heads.push(item);
        continue;
      }
      if (isNew(item)) {
        result.verify = true;
        result.reorders = true;
        const elem = item;
        const h = heads;
        add(end, (o) => writeTableEntry(o, path, { kind: "seq", items: [...h, elem] }, [], ctx));
      } else {
        visit(item, path);
      }
      heads = [];
    }
    // No element left: `[[x]]` headers cannot say "empty"; the re-read check falls back.
    if (!seq.items.some((i) => i.kind === "map")) result.verify = true;
    const trailing = heads;
    if (trailing.length > 0) add(end, (o) => trailing.forEach((c) => o.line(writeComment(c, ctx, path))));
  };

  visit(root, []);
  return result;
}
