/**
 * TOML 1.0 document parser: text → MapNode with layout hints. Enforces the table rules
 * (no duplicate keys, no table defined twice, dotted keys only extend tables made by
 * dotted keys in the same section, inline tables and static arrays are closed).
 *
 * Comment placement (decides each comment's AAD): a comment line belongs to the table
 * whose section it is in, except the block directly above a header (no blank line in
 * between), which belongs with the header: for `[a.b]` to table `a`, right before entry
 * `b`; for `[[a.b]]` to the array `a.b`, right before the element. An inline comment is
 * stored right before the entry it follows (as SOPS does for YAML line comments).
 */
import type { Comment, MapEntry, MapNode, SeqNode } from "../../tree/types.js";
import { Cursor, HASH, isBareKeyChar } from "./cursor.js";
import { KeyIndex, type ParsedKey, readKey, writePath } from "./keys.js";
import {
  type AotSrc,
  type CommentStmt,
  type DocSrc,
  type DottedSrc,
  type HeaderStmt,
  type KvStmt,
  type Link,
  type Section,
  type SectionSrc,
  srcOf,
  type Stmt,
} from "./layout.js";
import { cannotExtend, newSection, resolveParent, setSubtreeEnds, snapshot } from "./sections.js";
import { readValue } from "./values.js";

/** Parse a whole TOML document (already decoded from UTF-8). */
export function parseToml(input: string, file: string): MapNode {
  const bom = input.charCodeAt(0) === 0xfeff;
  return new DocParser(bom ? input.slice(1) : input, file).run(bom);
}

class DocParser {
  private readonly cur: Cursor;
  private readonly index = new KeyIndex();
  private readonly stmts: Stmt[] = [];
  private readonly root: MapNode = { kind: "map", items: [] };
  private readonly rootSection = newSection("root", this.root, [], -1);
  private section = this.rootSection;
  /** Comment lines since the last blank line, key/value or header. */
  private pending: CommentStmt[] = [];
  private pendingAt = -1;
  /** Every table and array of tables with a layout src, to snapshot at the end. */
  private readonly containers: (MapNode | SeqNode)[] = [this.root];

  constructor(text: string, file: string) {
    this.cur = new Cursor(text, file);
  }

  run(bom: boolean): MapNode {
    const { cur } = this;
    while (cur.pos < cur.len) this.line();
    this.flushPending();
    this.section.bodyEnd = this.stmts.length;
    const nl = cur.text.indexOf("\n");
    const src: DocSrc = {
      toml: "doc",
      bom,
      eol: nl > 0 && cur.text.charCodeAt(nl - 1) === 0x0d ? "\r\n" : "\n",
      stmts: this.stmts,
      root: this.rootSection,
    };
    this.root.src = src;
    for (const c of this.containers) snapshot(c);
    setSubtreeEnds(this.stmts);
    return this.root;
  }

  private line(): void {
    const { cur } = this;
    const indent = cur.ws();
    if (cur.atEol()) {
      this.flushPending();
      this.stmts.push({ t: "blank", text: indent + cur.eol() });
      return;
    }
    const c = cur.code();
    if (c === HASH) {
      const comment: Comment = { kind: "comment", text: cur.comment() };
      const stmt: CommentStmt = { t: "comment", indent, comment, eol: cur.eol(), container: this.root };
      if (this.pending.length === 0) this.pendingAt = this.stmts.length;
      this.pending.push(stmt);
      this.stmts.push(stmt);
      return;
    }
    if (c === 0x5b) this.header(indent);
    else this.keyValue(indent);
  }

  private flushPending(): void {
    for (const stmt of this.pending) {
      this.section.map.items.push(stmt.comment);
      stmt.container = this.section.map;
    }
    this.pending = [];
  }

  /** Whitespace, optional comment and line end after a value or header. */
  private trailer(what: string): { after: string; inline?: Comment; eol: string } {
    const { cur } = this;
    const after = cur.ws();
    const inline: Comment | undefined = cur.code() === HASH ? { kind: "comment", text: cur.comment() } : undefined;
    cur.expectEol(what);
    const eol = cur.eol();
    return inline ? { after, inline, eol } : { after, eol };
  }

  private keyValue(indent: string): void {
    const { cur, index, section } = this;
    const keyStart = cur.pos;
    // Fast path for the common `bare = value` (no key arrays); dotted/quoted keys take readKey.
    let bare = keyStart;
    while (bare < cur.len && isBareKeyChar(cur.text.charCodeAt(bare))) bare++;
    let key: ParsedKey | undefined;
    let last: string;
    let eqAt = bare;
    while (cur.text.charCodeAt(eqAt) === 0x20 || cur.text.charCodeAt(eqAt) === 0x09) eqAt++;
    if (bare > keyStart && cur.text.charCodeAt(eqAt) === 0x3d) {
      last = cur.text.slice(keyStart, bare);
      cur.pos = bare;
    } else {
      key = readKey(cur);
      last = key.parts[key.parts.length - 1] ?? "";
    }
    const keyEnd = cur.pos;
    cur.ws();
    if (cur.code() !== 0x3d) cur.fail("expected = after key", "write key = value; quote keys with spaces or dots");
    cur.pos++;
    cur.ws();
    const eq = cur.pos - keyEnd === 3 && cur.text.startsWith(" = ", keyEnd) ? " = " : cur.text.slice(keyEnd, cur.pos);
    this.flushPending();
    let prefix: Link[] | undefined;
    let target = section.map;
    const parts = key?.parts ?? [];
    for (let i = 0; i < parts.length - 1; i++) {
      prefix ??= [];
      const k = parts[i] ?? "";
      const existing = index.get(target, k);
      if (existing) {
        const v = existing.value;
        const s = srcOf(v);
        if (v.kind !== "map" || s?.toml !== "dotted" || s.section !== section) cannotExtend(cur, key!, i, existing);
        prefix.push({ entry: existing, container: target });
        target = v as MapNode;
        continue;
      }
      const src: DottedSrc = { toml: "dotted", section, prefix: parts.slice(0, i + 1) };
      const child: MapNode = { kind: "map", items: [], src };
      const entry: MapEntry = { kind: "entry", key: k, value: child };
      target.items.push(entry);
      index.add(target, entry);
      prefix.push({ entry, container: target });
      this.containers.push(child);
      target = child;
    }
    if (index.get(target, last)) {
      cur.fail(`duplicate key "${last}"`, "each key may appear once per table; remove or rename one", key?.at[key.at.length - 1] ?? keyStart);
    }
    const value = readValue(cur, index);
    const entry: MapEntry = { kind: "entry", key: last, value };
    index.add(target, entry);
    const after = cur.ws();
    const inline: Comment | undefined = cur.code() === HASH ? { kind: "comment", text: cur.comment() } : undefined;
    cur.expectEol("value");
    const eol = cur.eol();
    if (inline) target.items.push(inline);
    target.items.push(entry);
    const stmt: KvStmt = { t: "kv", indent, key: key ? key.raw : last, eq, entry, container: target, after, eol };
    if (prefix) stmt.prefix = prefix;
    if (inline) stmt.inline = inline;
    this.stmts.push(stmt);
    section.lastKv = this.stmts.length - 1;
    section.indent = indent;
  }

  private header(indent: string): void {
    const { cur, index, stmts } = this;
    const start = cur.pos;
    const aot = cur.code(1) === 0x5b;
    cur.pos += aot ? 2 : 1;
    cur.ws();
    const key = readKey(cur);
    cur.ws();
    if (cur.code() !== 0x5d || (aot && cur.code(1) !== 0x5d)) {
      cur.fail(aot ? "expected ]] after the array-of-tables name" : "expected ] after the table name", "headers look like [name] or [[name]]");
    }
    cur.pos += aot ? 2 : 1;
    const text = indent + cur.text.slice(start, cur.pos);
    const t = this.trailer("table header");
    const headerIndex = stmts.length;
    const firstHead = this.pending.length > 0 ? this.pendingAt : headerIndex;
    let groupStart = firstHead;
    while (groupStart > 0 && stmts[groupStart - 1]?.t === "blank") groupStart--;
    this.section.bodyEnd = groupStart;

    const parent = resolveParent({ cur, index, root: this.root, containers: this.containers }, key, groupStart);
    const last = key.parts[key.parts.length - 1] ?? "";
    const lastAt = key.at[key.at.length - 1];
    const name = writePath(key.parts);
    const heads: Comment[] = this.pending.map((s) => s.comment);
    if (t.inline) heads.push(t.inline);
    const map: MapNode = { kind: "map", items: [] };
    let section: Section;
    let stmt: HeaderStmt;
    const existing = index.get(parent, last);
    if (aot) {
      let seq: SeqNode;
      let entry: MapEntry;
      if (existing) {
        const s = srcOf(existing.value);
        if (existing.value.kind !== "seq" || s?.toml !== "aot") {
          cur.fail(`key ${name} is already defined and is not an array of tables`, "rename one of them", lastAt);
        }
        seq = existing.value as SeqNode;
        entry = existing;
      } else {
        const src: AotSrc = { toml: "aot", path: key.parts };
        seq = { kind: "seq", items: [], src };
        this.containers.push(seq);
        entry = { kind: "entry", key: last, value: seq };
        parent.items.push(entry);
        index.add(parent, entry);
      }
      section = newSection("aot", map, key.parts, headerIndex);
      seq.items.push(...heads, map);
      for (const c of this.pending) c.container = seq;
      stmt = { t: "header", text, after: t.after, eol: t.eol, section, entry, parent, seq, heads: this.pending, start: groupStart, ...(t.inline ? { inline: t.inline } : {}) };
    } else if (existing) {
      const v = existing.value;
      if (v.kind !== "map" || srcOf(v)?.toml !== "implicit") {
        const what = v.kind === "map" && srcOf(v)?.toml === "section" ? `table [${name}] is defined twice` : `key ${name} is already defined`;
        cur.fail(what, "merge the two definitions into one", lastAt);
      }
      section = newSection("table", v as MapNode, key.parts, headerIndex);
      parent.items.splice(parent.items.indexOf(existing), 0, ...heads);
      for (const c of this.pending) c.container = parent;
      stmt = { t: "header", text, after: t.after, eol: t.eol, section, entry: existing, parent, heads: this.pending, start: groupStart, ...(t.inline ? { inline: t.inline } : {}) };
    } else {
      section = newSection("table", map, key.parts, headerIndex);
      const entry: MapEntry = { kind: "entry", key: last, value: map };
      parent.items.push(...heads, entry);
      index.add(parent, entry);
      this.containers.push(map);
      for (const c of this.pending) c.container = parent;
      stmt = { t: "header", text, after: t.after, eol: t.eol, section, entry, parent, heads: this.pending, start: groupStart, ...(t.inline ? { inline: t.inline } : {}) };
    }
    const src: SectionSrc = { toml: "section", section };
    section.map.src = src;
    if (aot) this.containers.push(map);
    for (let i = groupStart; i < headerIndex; i++) {
      const s = stmts[i];
      if (s && (s.t === "blank" || s.t === "comment")) s.group = stmt;
    }
    this.pending = [];
    stmts.push(stmt);
    this.section = section;
  }

}
