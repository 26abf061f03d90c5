/**
 * JSON emission. Nodes carrying the parser's layout hints are written back as they
 * were read (whitespace, key spelling, number and string spelling of unchanged
 * values); changed values and nodes without hints are rendered like SOPS's JSON store
 * (Go encoding/json + json.Indent), indented to match their surroundings.
 */
import type { MapEntry, MapNode, Node, SeqNode } from "../../tree/types.js";
import { ByteSink } from "./byte-sink.js";
import { JsonContainerSrc, JsonEntrySrc, JsonLeafSrc, sameScalar } from "./layout.js";
import { isPlainJsonString, quoteJsonString, renderJsonScalar } from "./scalar.js";

/** How to lay out nodes that have no layout hints. */
export interface JsonStyle {
  /** False: everything on one line (used inside minified input). */
  newline: boolean;
  /** One indentation step (`\t`, `"  "`, or `""` for newlines without indentation). */
  unit: string;
  /** Between a key and its value (`": "` fresh; copied from neighbours when faithful). */
  colon: string;
  /** After a `,` on one line (compact style only). */
  space: string;
}

export interface EmitState {
  /** Where parts go: a ByteSink for whole files, an array for small renderings. */
  out: { push(a: string, b?: string, c?: string): unknown };
  file: string;
}

/** The indentation of the line a lead (whitespace before an item) ends on, or undefined if it has no newline. */
function lineIndent(lead: string): string | undefined {
  const nl = lead.lastIndexOf("\n");
  return nl < 0 ? undefined : lead.slice(nl + 1);
}

/** Render a node without looking at layout hints (SOPS's JSON store layout). */
export function emitFresh(node: Node, base: string, style: JsonStyle, st: EmitState): void {
  const out = st.out;
  if (node.kind === "leaf") {
    const value = node.value;
    if (value.type === "str" && isPlainJsonString(value.value)) out.push('"', value.value, '"');
    else out.push(renderJsonScalar(value, st.file));
    return;
  }
  const isMap = node.kind === "map";
  let count = 0;
  const inner = base + style.unit;
  for (const item of node.items) {
    if (item.kind === "comment") continue;
    out.push(count === 0 ? (isMap ? "{" : "[") : ",");
    out.push(style.newline ? "\n" + inner : count === 0 ? "" : style.space);
    if (isMap) {
      const entry = item as MapEntry;
      out.push(quoteJsonString(entry.key), style.colon);
      emitFresh(entry.value, inner, style, st);
    } else emitFresh(item as Node, inner, style, st);
    count++;
  }
  if (count === 0) out.push(isMap ? "{}" : "[]");
  else out.push(style.newline ? "\n" + base + (isMap ? "}" : "]") : isMap ? "}" : "]");
}

/** Style for fresh nodes placed after `lead` inside a container whose lines start with `base`. */
function childStyle(lead: string, mid: string, base: string, style: JsonStyle): [string, JsonStyle] {
  const indent = lineIndent(lead);
  if (indent === undefined) return [base, { newline: false, unit: "", colon: mid, space: lead }];
  const unit = indent.startsWith(base) && indent.length > base.length ? indent.slice(base.length) : style.unit;
  return [indent, { newline: true, unit, colon: style.newline ? style.colon : ": ", space: "" }];
}

function emitMap(node: MapNode, src: JsonContainerSrc, base: string, style: JsonStyle, st: EmitState): void {
  const out = st.out;
  const entries: MapEntry[] = [];
  let template: JsonEntrySrc | undefined;
  for (const item of node.items) {
    if (item.kind === "comment") continue;
    entries.push(item);
    if (!template && item.src instanceof JsonEntrySrc) template = item.src;
  }
  if (entries.length === 0) {
    out.push("{", src.empty ? src.close : "", "}");
    return;
  }
  if (!template) {
    emitFresh(node, base, style, st);
    return;
  }
  out.push("{");
  let lead = template.lead;
  let mid = template.mid;
  // Siblings nearly always share lead and mid: compute their child style once.
  let styled: [string, JsonStyle] | undefined;
  let styledLead = "";
  let styledMid = "";
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const layout = entry.src instanceof JsonEntrySrc ? entry.src : undefined;
    if (layout) {
      lead = layout.lead;
      mid = layout.mid;
    }
    if (!styled || lead !== styledLead || mid !== styledMid) {
      styled = childStyle(lead, mid, base, style);
      styledLead = lead;
      styledMid = mid;
    }
    const raw = layout?.keyRaw;
    const key = raw && raw.key === entry.key ? raw.raw : quoteJsonString(entry.key);
    out.push(lead, key, mid);
    emitNode(entry.value, styled[0], styled[1], st);
    if (i < entries.length - 1) out.push(layout?.after ?? "", ",");
    else out.push(src.close);
  }
  out.push("}");
}

function emitSeq(node: SeqNode, src: JsonContainerSrc, base: string, style: JsonStyle, st: EmitState): void {
  const out = st.out;
  const items = node.items.filter((i): i is Node => i.kind !== "comment");
  if (items.length === 0) {
    out.push("[", src.empty ? src.close : "", "]");
    return;
  }
  const uniform = src.lead !== undefined;
  if (!uniform && src.items.length === 0) {
    emitFresh(node, base, style, st);
    return;
  }
  const positional = items.length === src.items.length;
  let lead = uniform ? src.lead : src.leads[0]!;
  out.push("[");
  let styled: [string, JsonStyle] | undefined;
  let styledLead = "";
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // A uniform seq: every item, old or new, gets the one lead and nothing before `,`.
    const at = uniform ? -1 : positional ? i : src.items.indexOf(item);
    if (at >= 0) lead = src.leads[at]!;
    if (!styled || lead !== styledLead) {
      styled = childStyle(lead, style.colon, base, style);
      styledLead = lead;
    }
    out.push(lead);
    emitNode(item, styled[0], styled[1], st);
    if (i < items.length - 1) out.push(at >= 0 ? src.afters[at]! : "", ",");
    else out.push(src.close);
  }
  out.push("]");
}

/** Emit a node, reusing its layout hints where it has them. */
export function emitNode(node: Node, base: string, style: JsonStyle, st: EmitState): void {
  const src = node.src;
  if (node.kind === "leaf") {
    const value = node.value;
    if (src instanceof JsonLeafSrc && sameScalar(value, src.orig)) st.out.push(src.raw);
    // The usual string (every ENC value) as three parts: no quoted copy per value.
    else if (value.type === "str" && isPlainJsonString(value.value)) st.out.push('"', value.value, '"');
    else st.out.push(renderJsonScalar(value, st.file));
  } else if (!(src instanceof JsonContainerSrc)) emitFresh(node, base, style, st);
  else if (node.kind === "map") emitMap(node, src, base, style, st);
  else emitSeq(node, src, base, style, st);
}

/** The fresh style for an `indent` setting: tab by default, N spaces, 0 = newlines only. */
export function freshStyle(indent: number | undefined): JsonStyle {
  return { newline: true, unit: indent === undefined ? "\t" : " ".repeat(indent), colon: ": ", space: "" };
}

/** A whole document, as parts to concatenate: faithful when the root has hints, else SOPS layout with a final newline. */
export function emitDocumentParts(root: MapNode, indent: number | undefined, file: string): ByteSink {
  const out = new ByteSink();
  const st: EmitState = { out, file };
  const style = freshStyle(indent);
  const src = root.src;
  if (src instanceof JsonContainerSrc) {
    if (src.bom) st.out.push("\ufeff");
    st.out.push(src.docLead);
    emitNode(root, lineIndent(src.docLead) ?? "", style, st);
    st.out.push(src.docTail);
  } else {
    emitFresh(root, "", style, st);
    st.out.push("\n");
  }
  return out;
}
