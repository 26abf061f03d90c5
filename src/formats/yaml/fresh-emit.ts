/**
 * Fresh emission in go-yaml v3 encoder layout, the way SOPS 3.13 writes YAML: comment
 * items distributed as SOPS's store does (head comments before entries, inline ones on
 * the value's line, trailing ones after the last entry), block sequences indented to the
 * next multiple of the indent under a key, `- ` compact items, literal blocks for
 * multi-line strings, documents separated by `---`.
 *
 * Known difference from go-yaml: its misplacement of some foot comments of sequences
 * (printed after the next key) is not reproduced, and neither is its wrong indentation
 * digit on a block scalar that starts with a space or line break: go-yaml always writes
 * the indent width (`- |4-`) while it puts the content at the item's column, which no
 * parser (go-yaml included, go-yaml/yaml#643) can read back where the two differ (sequence
 * items, mappings inside sequences). The digit here is the real offset of the content from
 * the parent block, so it equals go-yaml's wherever go-yaml's output is valid YAML.
 */
import type { Comment, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { goStringStyle } from "./scalar-style.js";
import { blockHeader, literalLines, renderDouble, renderNonString, renderSingle } from "./scalar-render.js";

interface Part<T> {
  item: T;
  head: string[];
  line: string[];
  foot: string[];
}

interface Split<T> {
  head: string[];
  parts: Part<T>[];
}

/** SOPS `appendTreeBranch`/`appendSequence`: which comments are head, line or foot. */
function split<T>(items: readonly (T | Comment)[], isComment: (x: T | Comment) => x is Comment): Split<T> {
  let head: string[] = [];
  let line: string[] = [];
  const out: Split<T> = { head: [], parts: [] };
  for (const it of items) {
    if (isComment(it)) {
      if (isInline(it)) line.push(it.text);
      else head.push(it.text);
      continue;
    }
    if (out.parts.length === 0) {
      out.head = head;
      head = [];
    }
    out.parts.push({ item: it, head, line, foot: [] });
    head = [];
    line = [];
  }
  const rest = [...head, ...line];
  const last = out.parts[out.parts.length - 1];
  if (last) last.foot = rest;
  else out.head = rest;
  return out;
}

function isInline(c: Comment): boolean {
  return (c.src as { inline?: boolean } | undefined)?.inline === true;
}

const isMapComment = (x: MapEntry | Comment): x is Comment => x.kind === "comment";
const isSeqComment = (x: Node | Comment): x is Comment => x.kind === "comment";

export class FreshEmitter {
  readonly lines: string[] = [];
  /** @param indentSeqs block sequences under a key indented (go-yaml) or at the key's column. */
  constructor(
    readonly best: number,
    readonly indentSeqs = true,
  ) {}

  private comments(texts: string[], indent: number): void {
    for (const t of texts) this.lines.push(" ".repeat(indent) + "#" + t);
  }

  /** go-yaml: a block collection under a mapping key indents to the next multiple of the width. */
  private under(indent: number): number {
    return this.best * Math.floor((indent + this.best) / this.best);
  }

  private lineComment(texts: string[]): string {
    return texts.length > 0 ? " #" + texts.join("\n#") : "";
  }

  /**
   * Render a scalar: the text for the current line and body lines (block scalars at
   * `bodyIndent`; `parentIndent` is the enclosing block's column, -1 at top level).
   */
  scalar(v: ScalarValue, bodyIndent: number, parentIndent: number, flow = false): { text: string; body: string[] } {
    if (v.type === "bytes") return { text: "!!binary " + Buffer.from(v.value).toString("base64"), body: [] };
    if (v.type !== "str") return { text: renderNonString(v), body: [] };
    const s = v.value;
    switch (goStringStyle(s, flow)) {
      case "plain":
        return { text: s, body: [] };
      case "single":
        return { text: renderSingle(s), body: [] };
      case "double":
        return { text: renderDouble(s), body: [] };
      case "literal": {
        const pad = " ".repeat(bodyIndent);
        const body = literalLines(s).map((l) => (l === "" ? "" : pad + l));
        // The digit a parser needs (go-yaml writes the indent width, wrong inside sequences).
        return { text: blockHeader(s, "|", bodyIndent - Math.max(parentIndent, 0)), body };
      }
    }
  }

  key(k: string): string {
    switch (goStringStyle(k, false, true)) {
      case "plain":
        return k;
      case "single":
        return renderSingle(k);
      default:
        return renderDouble(k);
    }
  }

  map(node: MapNode, indent: number, prefix?: string): void {
    const s = split(node.items, isMapComment);
    if (prefix === undefined || s.parts.length === 0) this.comments(s.head, indent);
    if (s.parts.length === 0) {
      this.lines.push((prefix ?? " ".repeat(indent)) + "{}");
      return;
    }
    s.parts.forEach((p, i) => {
      if (i > 0 || prefix === undefined) this.comments(p.head, indent);
      else this.comments([...s.head, ...p.head], indent);
      const lead = (i === 0 && prefix !== undefined ? prefix : " ".repeat(indent)) + this.key(p.item.key) + ":";
      this.value(p.item.value, lead, indent, this.under(indent), p.line);
      this.comments(p.foot, indent);
    });
  }

  seq(node: SeqNode, indent: number, prefix?: string): void {
    const s = split(node.items, isSeqComment);
    this.comments(s.head, indent);
    if (s.parts.length === 0) {
      this.lines.push((prefix ?? " ".repeat(indent)) + "[]");
      return;
    }
    s.parts.forEach((p, i) => {
      this.comments(p.head, indent);
      const dash = (i === 0 && prefix !== undefined ? prefix : " ".repeat(indent)) + "- ";
      this.item(p.item, dash, indent, p.line);
      this.comments(p.foot, indent);
    });
  }

  /** A mapping value after `lead` (`key:`). */
  value(v: Node, lead: string, keyIndent: number, childIndent: number, line: string[]): void {
    if (v.kind === "leaf") {
      const r = this.scalar(v.value, childIndent, keyIndent);
      this.lines.push(lead + " " + r.text + this.lineComment(line));
      this.lines.push(...r.body);
      return;
    }
    if (v.items.length === 0) {
      this.lines.push(lead + (v.kind === "map" ? " {}" : " []") + this.lineComment(line));
      return;
    }
    if (v.items.every((i) => i.kind === "comment")) {
      // go-yaml keeps the comments inside an empty flow collection.
      this.lines.push(lead + (v.kind === "map" ? " {" : " [") + this.lineComment(line));
      this.comments(v.items.map((c) => (c as Comment).text), childIndent);
      this.lines.push(" ".repeat(keyIndent) + (v.kind === "map" ? "}" : "]"));
      return;
    }
    this.lines.push(lead + this.lineComment(line));
    if (v.kind === "map") this.map(v, childIndent);
    else this.seq(v, this.indentSeqs ? childIndent : keyIndent);
  }

  /** A sequence item after `dash` (`- `). */
  private item(v: Node, dash: string, dashIndent: number, line: string[]): void {
    const inner = dashIndent + 2;
    if (v.kind === "leaf") {
      const r = this.scalar(v.value, inner, dashIndent);
      this.lines.push(dash + r.text + this.lineComment(line));
      this.lines.push(...r.body);
      return;
    }
    const start = this.lines.length;
    if (v.kind === "map") this.map(v, inner, dash);
    else this.seq(v, inner, dash);
    if (line.length > 0 && this.lines[start] !== undefined) this.lines[start] += this.lineComment(line);
  }

  document(doc: MapNode): void {
    this.map(doc, 0);
  }
}

/** Emit documents the way SOPS 3.13 does (go-yaml v3 encoder, given indent). */
export function emitFresh(docs: readonly MapNode[], indent: number): string {
  let out = "";
  docs.forEach((doc, i) => {
    const e = new FreshEmitter(indent);
    e.document(doc);
    out += (i > 0 ? "---\n" : "") + e.lines.join("\n") + "\n";
  });
  return out;
}

/** go-yaml `Marshal` of one node (SOPS `EmitValue`, indent 4). */
export function emitFreshValue(node: Node, indent = 4): string {
  const e = new FreshEmitter(indent);
  if (node.kind === "map") e.map(node, 0);
  else if (node.kind === "seq") e.seq(node, 0);
  else {
    const r = e.scalar(node.value, indent, -1);
    e.lines.push(r.text, ...r.body);
  }
  return e.lines.join("\n") + "\n";
}
