/**
 * Table bookkeeping for the parser: sections, the tables implied by header keys, the
 * extent of each section's text, and the snapshots the emitter compares against.
 */
import { InternalError } from "../../errors.js";
import type { MapEntry, MapNode, SeqNode } from "../../tree/types.js";
import type { Cursor } from "./cursor.js";
import { type KeyIndex, type ParsedKey, writePath } from "./keys.js";
import { type HeaderStmt, type ImplicitSrc, type Section, type Snapshot, srcOf, type Stmt } from "./layout.js";

/** A fresh section record (indices are filled in while parsing). */
export function newSection(kind: Section["kind"], map: MapNode, path: readonly string[], header: number): Section {
  return { kind, map, path, header, lastKv: -1, bodyEnd: -1, subtreeEnd: -1, indent: "" };
}

/** Error for a key path that runs into a value or a closed table. */
export function cannotExtend(cur: Cursor, key: ParsedKey, i: number, existing: MapEntry): never {
  const name = writePath(key.parts.slice(0, i + 1));
  const v = existing.value;
  const s = srcOf(v);
  if (v.kind === "leaf" || (v.kind === "seq" && s?.toml !== "aot")) {
    return cur.fail(`key ${name} already holds a value`, "a key cannot be both a value and a table", key.at[i]);
  }
  const hint =
    s?.toml === "inline"
      ? "an inline table is complete as written; add the key inside its { }"
      : "a table can only be extended with dotted keys inside the section that created it; move the key under its own [header]";
  return cur.fail(`cannot add keys to table ${name} here`, hint, key.at[i]);
}

/** Parser state `resolveParent` needs. */
export interface TableState {
  readonly cur: Cursor;
  readonly index: KeyIndex;
  readonly root: MapNode;
  readonly containers: (MapNode | SeqNode)[];
}

/** Walk or create the tables above a header's last key (`a.b` of `[a.b.c]`). */
export function resolveParent(st: TableState, key: ParsedKey, groupStart: number): MapNode {
  let parent = st.root;
  for (let i = 0; i < key.parts.length - 1; i++) {
    const k = key.parts[i] ?? "";
    const existing = st.index.get(parent, k);
    if (!existing) {
      const src: ImplicitSrc = { toml: "implicit", path: key.parts.slice(0, i + 1), before: groupStart };
      const child: MapNode = { kind: "map", items: [], src };
      const entry: MapEntry = { kind: "entry", key: k, value: child };
      parent.items.push(entry);
      st.index.add(parent, entry);
      st.containers.push(child);
      parent = child;
      continue;
    }
    const v = existing.value;
    const s = srcOf(v);
    if (v.kind === "map" && s?.toml !== "inline" && s?.toml !== "inline-part") {
      parent = v;
    } else if (v.kind === "seq" && s?.toml === "aot") {
      parent = lastElement(v);
    } else {
      cannotExtend(st.cur, key, i, existing);
    }
  }
  return parent;
}

/**
 * A section's subtree ends where the first later header outside it starts (its group):
 * new sub-tables go there, after the existing ones.
 */
export function setSubtreeEnds(stmts: readonly Stmt[]): void {
  const headers = stmts.filter((s): s is HeaderStmt => s.t === "header");
  headers.forEach((h, i) => {
    const { path } = h.section;
    let next = headers[i + 1];
    for (let j = i + 1; next && isBelow(next.section.path, path); j++) next = headers[j + 1];
    h.section.subtreeEnd = next ? next.start : stmts.length;
  });
}

function isBelow(path: readonly string[], base: readonly string[]): boolean {
  return path.length > base.length && base.every((k, i) => path[i] === k);
}

/** Record a container's items as parsed (see Snapshot). */
export function snapshot(node: MapNode | SeqNode): void {
  const src = node.src as { snap?: Snapshot };
  src.snap =
    node.kind === "seq"
      ? { items: node.items.slice() }
      : { items: node.items.slice(), values: node.items.map((i) => (i.kind === "entry" ? i.value : undefined)) };
}

/** The last element (a table) of an array of tables. */
export function lastElement(seq: SeqNode): MapNode {
  for (let i = seq.items.length - 1; i >= 0; i--) {
    const item = seq.items[i];
    if (item && item.kind === "map") return item;
  }
  throw new InternalError("toml: array of tables without an element");
}
