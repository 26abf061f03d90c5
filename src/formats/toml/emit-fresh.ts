/**
 * Writing TOML from a tree without layout (e.g. converted from YAML/JSON, or new
 * subtrees such as the `sops` table): key/values first, then `[tables]` and
 * `[[arrays of tables]]`, arrays inline. Comments are written where parsing puts them
 * back into the same table (so their AAD is unchanged): above a key, above a `[table]`
 * header (they belong to the parent table), above `[[x]]` (they belong to the array).
 */
import type { Comment, MapEntry, MapNode, Node, SeqNode } from "../../tree/types.js";
import { writeKey, writePath } from "./keys.js";
import { duplicateKey, type RenderContext, renderValue, writeComment } from "./render.js";

/** The output text with line helpers (the last few chunks are kept for look-behind). */
export class Out {
  private text = "";
  private recent: string[] = [];

  constructor(readonly eol: string) {}

  write(s: string): void {
    if (s.length === 0) return;
    this.text += s;
    this.recent.push(s);
    if (this.recent.length > 16) this.recent = this.recent.slice(-8);
  }

  line(s: string): void {
    this.write(s);
    this.write(this.eol);
  }

  private tail(): string {
    return this.recent.slice(-8).join("");
  }

  /** Make sure the text ends with a line end (unless empty). */
  newline(): void {
    if (this.text.length > 0 && !this.tail().endsWith("\n")) this.write(this.eol);
  }

  /** Make sure the text ends with an empty line (unless empty), to separate a new table. */
  blank(): void {
    this.newline();
    if (this.text.length === 0) return;
    const t = this.tail();
    const prev = t.lastIndexOf("\n", t.length - 2);
    if (t.slice(prev + 1).trim() !== "") this.write(this.eol);
  }

  toString(): string {
    return this.text;
  }
}

/** Is this value written as a `[table]` / `[[array of tables]]` rather than inline? */
export function isTableLike(node: Node): node is MapNode | SeqNode {
  if (node.kind === "map") return true;
  if (node.kind !== "seq") return false;
  let maps = 0;
  for (const item of node.items) {
    if (item.kind === "map") maps++;
    else if (item.kind !== "comment") return false;
  }
  return maps > 0;
}

interface Parts {
  kv: (MapEntry | Comment)[];
  tables: { heads: Comment[]; entry: MapEntry & { value: MapNode | SeqNode } }[];
}

function partition(map: MapNode, ctx: RenderContext, path: readonly string[]): Parts {
  const parts: Parts = { kv: [], tables: [] };
  const seen = new Set<string>();
  let pending: Comment[] = [];
  for (const item of map.items) {
    if (item.kind === "comment") {
      pending.push(item);
      continue;
    }
    if (seen.has(item.key)) throw duplicateKey(ctx, path, item.key);
    seen.add(item.key);
    const value = item.value;
    if (isTableLike(value)) {
      // Comments above `[[x]]` would be read into the array: keep these in this table.
      if (value.kind === "seq") parts.kv.push(...pending);
      parts.tables.push({ heads: value.kind === "map" ? pending : [], entry: { ...item, value } });
    } else {
      parts.kv.push(...pending, item);
    }
    pending = [];
  }
  parts.kv.push(...pending);
  return parts;
}

/** `key = value` line. */
export function writeKv(out: Out, indent: string, key: string, value: Node, ctx: RenderContext, path: readonly string[]): void {
  out.line(indent + writeKey(key) + " = " + renderValue(value, ctx, path, indent));
}

function writeBody(out: Out, parts: Parts, ctx: RenderContext, path: readonly string[]): void {
  for (const item of parts.kv) {
    if (item.kind === "comment") out.line(writeComment(item, ctx, path));
    else writeKv(out, "", item.key, item.value, ctx, [...path, item.key]);
  }
  for (const t of parts.tables) writeTableEntry(out, [...path, t.entry.key], t.entry.value, t.heads, ctx);
}

/**
 * Write a table-like value at `path` as `[path]` (or `[[path]]` per element), its
 * key/values and its sub-tables. `heads` are comments to put directly above the header.
 */
export function writeTableEntry(
  out: Out,
  path: readonly string[],
  value: MapNode | SeqNode,
  heads: readonly Comment[],
  ctx: RenderContext,
): void {
  if (value.kind === "map") {
    writeSection(out, path, value, heads, false, ctx);
    return;
  }
  let pending: Comment[] = [...heads];
  for (const item of value.items) {
    if (item.kind === "comment") pending.push(item);
    else {
      writeSection(out, path, item as MapNode, pending, true, ctx);
      pending = [];
    }
  }
  for (const c of pending) out.line(writeComment(c, ctx, path));
}

function writeSection(
  out: Out,
  path: readonly string[],
  map: MapNode,
  heads: readonly Comment[],
  aot: boolean,
  ctx: RenderContext,
): void {
  const parts = partition(map, ctx, path);
  // `[a]` holding only sub-tables is implied by `[a.b]`; an empty table needs its header.
  if (aot || heads.length > 0 || parts.kv.length > 0 || parts.tables.length === 0) {
    out.blank();
    for (const c of heads) out.line(writeComment(c, ctx, path.slice(0, -1)));
    out.line(aot ? `[[${writePath(path)}]]` : `[${writePath(path)}]`);
  }
  writeBody(out, parts, ctx, path);
}

/**
 * Reorder a tree (in place) the way `writeDocument` writes it and TOML reads it back:
 * in each table, key/values (with their comments) first, then sub-tables and arrays of
 * tables. Inline values keep their order.
 */
export function orderFresh(node: Node): void {
  if (node.kind === "seq") {
    if (isTableLike(node)) for (const item of node.items) if (item.kind === "map") orderFresh(item);
    return;
  }
  if (node.kind !== "map") return;
  const kv: (MapEntry | Comment)[] = [];
  const tables: (MapEntry | Comment)[] = [];
  let pending: Comment[] = [];
  for (const item of node.items) {
    if (item.kind === "comment") {
      pending.push(item);
      continue;
    }
    if (isTableLike(item.value)) {
      if (item.value.kind === "seq") kv.push(...pending);
      else tables.push(...pending);
      tables.push(item);
      orderFresh(item.value);
    } else {
      kv.push(...pending, item);
    }
    pending = [];
  }
  const ordered = [...kv, ...pending, ...tables];
  if (ordered.some((item, i) => item !== node.items[i])) node.items = ordered;
}

/** A whole document written fresh. */
export function writeDocument(root: MapNode, ctx: RenderContext): string {
  const out = new Out(ctx.eol);
  writeBody(out, partition(root, ctx, []), ctx, []);
  return out.toString();
}
