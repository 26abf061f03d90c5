/**
 * Patch emission: the original text with only the changed parts re-rendered, so a
 * parse → emit round trip is byte-exact and an encrypt → decrypt cycle gives back the
 * original layout (comments, blank lines, indentation, quoting, flow vs block, markers,
 * CRLF, BOM, missing final newline).
 *
 * Change detection: a leaf is unchanged while its value equals the parsed value
 * (`LeafSrc.value`), a comment while its text equals the parsed text, an entry's value
 * while it is the same object; container item lists are compared by identity with the
 * snapshot taken at parse time. Added items are rendered in the surrounding style and
 * spliced in after their predecessor; removed ones are cut out with their lines.
 *
 * Where exact bytes cannot come back:
 * - a value that changed and changed back keeps only its type's canonical text
 *   (`0x1F` → `31`, `1e3` → `1000`, `~` → `null`, escapes re-rendered, a folded block
 *   is re-written on one line);
 * - a re-rendered plain string stays plain only where go-yaml v3 would write it plain;
 *   otherwise it gets go-yaml's style, so a plain `key: no` (a string for YAML 1.2 and
 *   go-yaml) comes back as `key: "no"` after encrypt → decrypt, as `sops -d` prints it and
 *   as YAML 1.1 readers need it (likewise `on`, `y`, `1:30`, …);
 * - a style that cannot hold the new value falls back to go-yaml's choice (quoted →
 *   literal block for multi-line text, any string in flow context quoted);
 * - a block scalar that needs an indentation digit gets the real offset of its content,
 *   where go-yaml writes its indent width even inside sequences (invalid YAML there,
 *   go-yaml/yaml#643), so `- |2-` where `sops -d` prints `- |4-`;
 * - a tag or anchor on a changed scalar is dropped;
 * - structural edits that cannot be spliced line-wise (first entry of a `- k: v` item,
 *   items inside flow collections, reordered items) re-render that whole collection.
 */
import type { Comment, MapEntry, MapNode, Node, ScalarValue } from "../../tree/types.js";
import { FreshEmitter } from "./fresh-emit.js";
import { renderLeafAt } from "./render-leaf.js";
import { renderFlow } from "./render-flow.js";
import { needsMinimalEscape } from "./scalar-render.js";
import { type CommentSrc, type ContainerSrc, type DocSrc, type EntrySrc, type FileSrc, inFlow, type LeafSrc, type Span, styleOf } from "./src-types.js";
import { Edits } from "./edits.js";
import { itemSpans } from "./snapshot.js";
import { endsWithBreak, trimBack, trimBreakBack } from "./text-edges.js";

export function sameValue(a: ScalarValue, b: ScalarValue): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  if (a.type === "null") return true;
  if (a.type === "bytes" && b.type === "bytes") return Buffer.from(a.value).equals(Buffer.from(b.value));
  return Object.is((a as { value: unknown }).value, (b as { value: unknown }).value);
}

type Item = MapEntry | Comment | Node;

export class Patcher {
  readonly edits = new Edits();
  readonly text: string;
  readonly eol: string;
  readonly step: number;

  constructor(
    readonly file: FileSrc,
    /** Indent width for new nested content when the file shows none, and for the sops block. */
    readonly indent: number,
  ) {
    this.text = file.text;
    this.eol = file.eol;
    this.step = file.indentStep ?? indent;
  }

  private owns(src: unknown): boolean {
    return typeof src === "object" && src !== null && (src as { file?: unknown }).file === this.file;
  }

  private lineStart(at: number): number {
    let i = at;
    while (i > 0 && this.text[i - 1] !== "\n" && this.text[i - 1] !== "\r") i--;
    return i;
  }

  private lineEnd(at: number): number {
    let i = at;
    while (i < this.text.length && this.text[i] !== "\n" && this.text[i] !== "\r") i++;
    return i;
  }

  private afterBreak(at: number): number {
    if (this.text[at] === "\r") return this.text[at + 1] === "\n" ? at + 2 : at + 1;
    return this.text[at] === "\n" ? at + 1 : at;
  }

  private onlySpaces(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text[i] !== " " && this.text[i] !== "\t") return false;
    return true;
  }

  node(node: Node): void {
    if (!this.owns(node.src)) return;
    if (node.kind === "leaf") this.leaf(node.value, node.src as LeafSrc);
    else this.container(node.items, node.src as ContainerSrc, node);
  }

  private leaf(value: ScalarValue, src: LeafSrc): void {
    if (sameValue(value, src.value)) return;
    // A double-quoted string that needs no escape (every ENC value): keep the original
    // quotes and replace only what is between them, the same bytes without building
    // `"` + value + `"` per value.
    if (value.type === "str" && styleOf(src) === "double" && this.text.charCodeAt(src.start) === 34 && !needsMinimalEscape(value.value)) {
      this.edits.push(src.start + 1, src.end - 1, value.value);
      return;
    }
    let text = renderLeafAt(value, src, this.step, this.eol);
    if (src.start === src.end && !inFlow(src) && this.text[src.start - 1] === ":") text = " " + text;
    this.edits.push(src.start, src.end, text);
  }

  private comment(c: Comment, src: CommentSrc): void {
    if (c.text !== src.text) this.edits.push(src.start + 1, src.end, c.text);
  }

  private entry(e: MapEntry, src: EntrySrc, col: number, root: boolean): void {
    if (e.key !== src.key) {
      this.edits.push(src.start, src.keyEnd, new FreshEmitter(this.step).key(e.key));
    }
    if (e.value === src.value) {
      this.node(e.value);
      return;
    }
    // A replaced value: render it fresh after the colon (the metadata in SOPS's layout).
    const sops = root && e.key === "sops";
    const em = sops ? new FreshEmitter(this.indent) : new FreshEmitter(this.step, this.file.indentedSeqs ?? true);
    em.value(e.value, "", col, col + (sops ? this.indent : this.step), []);
    const text = em.lines.join(this.eol);
    this.edits.push(src.valueStart, src.end, text);
  }

  private item(item: Item, col: number, root: boolean): void {
    if (item.kind === "comment") {
      if (this.owns(item.src)) this.comment(item, item.src as CommentSrc);
    } else if (item.kind === "entry") {
      if (this.owns(item.src)) this.entry(item, item.src as EntrySrc, col, root);
    } else this.node(item);
  }

  private container(items: readonly Item[], src: ContainerSrc, node: Node): void {
    const orig = src.items;
    if (items.length === orig.length && items.every((it, i) => it === orig[i])) {
      const root = (src as DocSrc).doc !== undefined;
      for (const it of items) this.item(it, src.col, root);
      return;
    }
    if (src.flow || !this.splice(items, src)) this.rerender(node, src);
  }

  /** Line-wise insertions and deletions; false when the change needs a re-render. */
  private splice(items: readonly Item[], src: ContainerSrc): boolean {
    const index = new Map<Item, number>();
    src.items.forEach((it, i) => index.set(it, i));
    let last = -1;
    for (const it of items) {
      const i = index.get(it);
      if (i === undefined) continue;
      if (i < last) return false;
      last = i;
    }
    const kept = new Set(items);
    const spans = itemSpans(src);
    const edits = new Edits();
    const cut: Span[] = [];
    for (let i = 0; i < src.items.length; i++) {
      const it = src.items[i]!;
      if (kept.has(it)) continue;
      const span = spans[i]!;
      const ls = this.lineStart(span.start);
      if (!this.onlySpaces(ls, span.start)) {
        if ((it as Comment).kind === "comment" && (it.src as CommentSrc).sameLine) {
          edits.push(this.lineEnd(span.start) === span.end ? trimBack(this.text, span.start) : span.start, span.end, "");
          continue;
        }
        return false;
      }
      const end = this.afterBreak(this.lineEnd(span.end));
      // Cutting the last lines of a file without a final line break: take the break
      // before them instead, so the file still ends without one.
      const start = end === this.text.length && !endsWithBreak(this.text) && ls > 0 ? trimBreakBack(this.text, ls) : ls;
      cut.push({ start, end });
      edits.push(start, end, "");
    }
    // Kept same-line comments whose line was cut come back on their own line.
    const pad = " ".repeat(src.col);
    for (const it of items) {
      if (it.kind !== "comment" || !index.has(it) || !this.owns(it.src)) continue;
      const cs = it.src as CommentSrc;
      const hit = cut.find((s) => cs.start >= s.start && cs.start < s.end);
      if (hit) edits.push(hit.start, hit.start, pad + "#" + it.text + this.eol);
    }
    // New items go after the previous original item (or before the first one).
    let prevEnd: number | undefined;
    let firstStart: number | undefined;
    for (let i = 0; i < src.items.length; i++) if (kept.has(src.items[i]!)) firstStart ??= spans[i]!.start;
    const isRoot = (src as DocSrc).doc !== undefined;
    for (const it of items) {
      const i = index.get(it);
      if (i !== undefined) {
        prevEnd = Math.max(prevEnd ?? 0, spans[i]!.end);
        continue;
      }
      const text = this.renderNew(it, src, isRoot);
      let at: number;
      if (prevEnd !== undefined) at = this.afterBreak(this.lineEnd(prevEnd));
      else if (firstStart !== undefined) {
        at = this.lineStart(firstStart);
        if (!this.onlySpaces(at, firstStart)) return false;
      } else if (isRoot) at = this.rootStart(src as DocSrc);
      else return false;
      const needBreak = at > 0 && this.text[at - 1] !== "\n" && this.text[at - 1] !== "\r";
      // Appending to a file without a final line break keeps it without one.
      const body = needBreak && at === this.text.length ? text.slice(0, -this.eol.length) : text;
      edits.push(at, at, (needBreak ? this.eol : "") + body);
    }
    for (const it of items) if (index.has(it)) this.item(it, src.col, isRoot);
    this.edits.append(edits);
    return true;
  }

  /** Where content of an empty document goes: the line after `---` (or its start). */
  private rootStart(src: DocSrc): number {
    const at = src.bodyStart;
    const end = this.lineEnd(at);
    let i = at;
    while (i < end && (this.text[i] === " " || this.text[i] === "\t")) i++;
    return i === end || this.text[i] === "#" ? this.afterBreak(end) : at;
  }

  /** Lines (ending with the line break) for a new item of a block container. */
  private renderNew(it: Item, src: ContainerSrc, isRoot: boolean): string {
    const col = src.col;
    if (it.kind === "comment") return " ".repeat(col) + "#" + it.text + this.eol;
    // SOPS writes its metadata with its own layout (go-yaml, configured indent).
    const sops = isRoot && it.kind === "entry" && it.key === "sops";
    const em = sops ? new FreshEmitter(this.indent) : new FreshEmitter(this.step, this.file.indentedSeqs ?? true);
    if (it.kind === "entry") em.map({ kind: "map", items: [it] }, col);
    else em.seq({ kind: "seq", items: [it] }, col);
    return em.lines.join(this.eol) + this.eol;
  }

  /** Replace a whole collection with a fresh rendering at its position. */
  private rerender(node: Node, src: ContainerSrc): void {
    if (node.kind === "leaf") return;
    if (src.flow) {
      this.edits.push(src.start, src.end, renderFlow(node));
      return;
    }
    const em = new FreshEmitter(this.step, this.file.indentedSeqs ?? true);
    if (node.kind === "map") em.map(node, src.col);
    else em.seq(node, src.col);
    const lines = em.lines;
    lines[0] = (lines[0] ?? "").slice(src.col);
    this.edits.push(src.start, src.end, lines.join(this.eol));
  }

  /** Apply all edits to the original text. */
  result(): string {
    return this.edits.apply(this.text);
  }
}

/** Whether the documents are exactly the parsed ones, in order, from one file. */
export function patchable(docs: readonly MapNode[]): FileSrc | undefined {
  const first = docs[0]?.src as DocSrc | undefined;
  const file = first?.file;
  if (!file || file.docs.length !== docs.length) return undefined;
  return docs.every((d, i) => d === file.docs[i]) ? file : undefined;
}

/** Emit the documents by patching their source text. */
export function emitPatched(docs: readonly MapNode[], file: FileSrc, indent: number): string {
  const p = new Patcher(file, indent);
  for (const doc of docs) p.node(doc);
  return (file.bom ? "\uFEFF" : "") + p.result();
}
