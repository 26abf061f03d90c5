/**
 * INI emission. Parsed sections and keys are written back from their layout hints
 * (unchanged values and comments byte for byte; changed values re-quoted the go-ini
 * way; changed comments re-rendered as `; text` lines before their key). Sections and
 * keys without hints, and the final `[sops]` section, are written as go-ini writes them
 * for SOPS: `[name]`, `=` aligned per section, a blank line between sections.
 */
import { FormatError } from "../../errors.js";
import type { Comment, MapEntry, MapNode } from "../../tree/types.js";
import { flattenMetadata, scalarToText } from "../flatten.js";
import { IniDocSrc, IniKeySrc, IniSectionSrc, type LeadLine } from "./layout.js";
import { alignedLines, byteLength, commentLines, quoteKey, quoteValue } from "./render.js";

const NESTED_HINT = "INI holds sections of key = value pairs; use --output-type yaml or json for deeper nesting";

interface KeyGroup {
  entry: MapEntry;
  comment: string | undefined;
}

function valueText(entry: MapEntry, section: string, file: string): string {
  if (entry.value.kind !== "leaf") {
    throw new FormatError(`${file}: cannot write the nested value of "${section}.${entry.key}" to an INI file`, {
      hint: NESTED_HINT,
    });
  }
  const text = scalarToText(entry.value.value);
  return typeof text === "string" ? text : new TextDecoder().decode(text);
}

/** Lead lines with the comment lines replaced by `rendered` (placed where the first one was). */
function relead(lead: readonly LeadLine[], rendered: string[], eol: string): string {
  let out = "";
  let placed = false;
  for (const line of lead) {
    if (!line.comment) out += line.raw;
    else if (!placed) {
      placed = true;
      out += rendered.map((l) => l + eol).join("");
    }
  }
  return placed ? out : out + rendered.map((l) => l + eol).join("");
}

function splitSection(map: MapNode): { comment: string | undefined; keys: KeyGroup[] } {
  const head: string[] = [];
  const keys: KeyGroup[] = [];
  let current: { entry: MapEntry; comments: string[] } | undefined;
  const groups: { entry: MapEntry; comments: string[] }[] = [];
  for (const item of map.items) {
    if (item.kind === "comment") (current ? current.comments : head).push((item as Comment).text);
    else groups.push((current = { entry: item, comments: [] }));
  }
  for (const g of groups) keys.push({ entry: g.entry, comment: g.comments.length ? g.comments.join("\n") : undefined });
  return { comment: head.length ? head.join("\n") : undefined, keys };
}

function rendered(text: string | undefined, section: boolean): string[] {
  return text ? commentLines(text, section) : [];
}

function emitKeys(keys: KeyGroup[], name: string, file: string, out: string[]): void {
  const laid = keys.filter((k) => k.entry.src instanceof IniKeySrc).map((k) => k.entry.src as IniKeySrc);
  if (laid.length === 0) {
    // Fresh section body: go-ini alignment over all keys.
    const lines = alignedLines(keys.map((k) => [k.entry.key, valueText(k.entry, name, file)] as const));
    keys.forEach((k, i) => out.push(...rendered(k.comment, false).map((l) => l + "\n"), lines[i]! + "\n"));
    return;
  }
  const columns = new Set(laid.map((s) => byteLength(s.keyPart)));
  const aligned = columns.size === 1 && laid.length > 1 ? [...columns][0]! - 1 : 0;
  const eol = laid[0]!.eol || "\n";
  for (const { entry, comment } of keys) {
    const text = valueText(entry, name, file);
    const src = entry.src instanceof IniKeySrc ? entry.src : undefined;
    if (!src || src.key !== entry.key) {
      const key = quoteKey(entry.key);
      const pad = " ".repeat(Math.max(1, aligned - byteLength(key)));
      out.push(...rendered(comment, false).map((l) => l + eol), key + pad + "= " + quoteValue(text) + eol);
      continue;
    }
    const sameComment = comment === src.comment;
    out.push(sameComment ? src.lead.map((l) => l.raw).join("") : relead(src.lead, rendered(comment, false), eol));
    const value = text === src.orig ? src.valueRaw : quoteValue(text);
    out.push(src.keyPart, src.gap, value, sameComment ? src.inline : "", src.eol);
  }
}

function emitSection(entry: MapEntry, index: number, file: string, out: string[]): void {
  if (entry.value.kind !== "map") {
    throw new FormatError(`${file}: top-level key "${entry.key}" is not a section`, { hint: NESTED_HINT });
  }
  const { comment, keys } = splitSection(entry.value);
  const src = entry.src instanceof IniSectionSrc && entry.src.name === entry.key ? entry.src : undefined;
  if (src) {
    out.push(comment === src.comment ? src.lead.map((l) => l.raw).join("") : relead(src.lead, rendered(comment, true), src.eol || "\n"));
    if (src.header) out.push(src.header, comment === src.comment ? src.inline : "", src.eol || "\n");
  } else {
    const implicit = index === 0 && entry.key.toUpperCase() === "DEFAULT";
    if (implicit && keys.length === 0) return;
    const text = out.join("");
    if (text !== "" && !text.endsWith("\n\n")) out.push(text.endsWith("\n") ? "\n" : "\n\n");
    out.push(...rendered(comment, true).map((l) => l + "\n"));
    if (!implicit) out.push("[" + entry.key + "]\n");
  }
  emitKeys(keys, entry.key, file, out);
}

/** Emit one INI document; a top-level `sops` map becomes the final flattened `[sops]` section. */
export function emitIniText(doc: MapNode, file: string): string {
  const out: string[] = [];
  const docSrc = doc.src instanceof IniDocSrc ? doc.src : undefined;
  if (docSrc?.bom) out.push("\ufeff");
  let sops: MapNode | undefined;
  let index = 0;
  for (const item of doc.items) {
    if (item.kind === "comment") continue; // INI has no place for top-level comments (SOPS drops them too)
    // The metadata entry (no layout: a [sops] section parsed in plain mode is written back as is).
    if (item.key === "sops" && item.value.kind === "map" && !(item.src instanceof IniSectionSrc)) {
      sops = item.value;
      continue;
    }
    emitSection(item, index++, file, out);
  }
  if (sops) {
    const pairs = flattenMetadata(sops, "").map(([k, v]) => [k, v.replaceAll("\n", "\\n")] as const);
    const text = out.join("");
    if (text !== "" && !text.endsWith("\n\n")) out.push(text.endsWith("\n") ? "\n" : "\n\n");
    out.push("[sops]\n", ...alignedLines(pairs).map((l) => l + "\n"));
  }
  // Trailing comment lines are not in the tree (go-ini drops them): keep them in plain output only.
  for (const line of docSrc?.tail ?? []) if (!sops || !line.comment) out.push(line.raw);
  return out.join("");
}
