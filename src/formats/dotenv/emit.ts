/**
 * dotenv emission. Plain output reuses the parsed layout (blank lines, comments,
 * multi-line values) where values are unchanged; changed values are rendered as SOPS
 * renders them. Encrypted output is always in the shape SOPS reads:
 * `KEY=VALUE` (newlines as `\n`), `#comment`, blank lines, then `sops_…` metadata.
 */
import { FormatError } from "../../errors.js";
import type { Comment, MapEntry, MapNode, Node } from "../../tree/types.js";
import { flattenMetadata, scalarToText } from "../flatten.js";
import { sameScalar } from "../json/layout.js";
import { DotenvCommentSrc, DotenvDocSrc, DotenvEntrySrc, type RawText } from "./layout.js";

const NESTED_HINT = "dotenv holds flat KEY=VALUE pairs; use --output-type yaml or json for nested data";

function leafOf(entry: MapEntry, file: string): Node & { kind: "leaf" } {
  if (entry.value.kind !== "leaf") {
    throw new FormatError(`${file}: cannot write the nested value of key "${entry.key}" to a dotenv file`, {
      hint: NESTED_HINT,
    });
  }
  return entry.value;
}

/** SOPS's rendering: the text with newlines as the two characters `\n`. */
function plainValue(text: RawText): RawText {
  if (typeof text === "string") return text.replaceAll("\n", "\\n");
  const out: number[] = [];
  for (const b of text) {
    if (b === 10) out.push(92, 110);
    else out.push(b);
  }
  return Uint8Array.from(out);
}

function entryLine(entry: MapEntry, src: DotenvEntrySrc | undefined, file: string): RawText[] {
  const leaf = leafOf(entry, file);
  if (src && src.key === entry.key && sameScalar(leaf.value, src.orig)) return [src.head];
  const text = scalarToText(leaf.value);
  // A value read across several lines is written back across lines (sobre extension).
  if (src?.multiline && typeof text === "string") return [entry.key + "=", text];
  return [entry.key + "=", plainValue(text)];
}

/** Emit one document as dotenv parts (strings and raw byte runs). */
export function emitDotenvParts(doc: MapNode, file: string): RawText[] {
  const parts: RawText[] = [];
  let sops: MapNode | undefined;
  const items: (MapEntry | Comment)[] = [];
  for (const item of doc.items) {
    if (item.kind === "entry" && item.key === "sops" && item.value.kind === "map") sops = item.value;
    else items.push(item);
  }
  const encrypted = sops !== undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const src = item.src instanceof DotenvEntrySrc || item.src instanceof DotenvCommentSrc ? item.src : undefined;
    const last = i === items.length - 1;
    if (src?.pre) parts.push(encrypted ? "\n".repeat(src.pre.split("\n").length - 1) : src.pre);
    if (item.kind === "comment") {
      const raw = !encrypted && src instanceof DotenvCommentSrc && item.text === src.orig && !src.inline;
      parts.push(raw ? (src as DotenvCommentSrc).raw : "#" + item.text, last && src?.eol === "" ? "" : "\n");
      continue;
    }
    if (encrypted) {
      if (item.key.startsWith("sops_")) {
        throw new FormatError(`${file}: key "${item.key}" uses the prefix sops_ reserved for SOPS metadata`, {
          hint: "rename the key; sops_… lines hold the metadata of encrypted dotenv files",
        });
      }
      parts.push(item.key + "=", plainValue(scalarToText(leafOf(item, file).value)), "\n");
      continue;
    }
    const esrc = src instanceof DotenvEntrySrc ? src : undefined;
    parts.push(...entryLine(item, esrc, file));
    const next = items[i + 1];
    const nsrc = next?.kind === "comment" && next.src instanceof DotenvCommentSrc ? next.src : undefined;
    if (esrc && next && nsrc?.inline && next.kind === "comment" && next.text === nsrc.orig) {
      // The inline comment is unchanged: keep it on the value's line.
      parts.push(esrc.trail, nsrc.raw, i + 1 === items.length - 1 && nsrc.eol === "" ? "" : "\n");
      i++;
      continue;
    }
    parts.push(esrc && !nsrc?.inline ? esrc.trail : "", last && esrc?.eol === "" ? "" : "\n");
  }
  if (doc.src instanceof DotenvDocSrc && doc.src.tail) {
    parts.push(encrypted ? "\n".repeat(doc.src.tail.split("\n").length - 1) : doc.src.tail);
  }
  if (sops) {
    for (const [key, value] of flattenMetadata(sops, "sops_")) parts.push(key + "=", plainValue(value), "\n");
  }
  return parts;
}

/**
 * Concatenate parts into bytes. Runs of strings are joined first and encoded once (one
 * encode per value was most of the emit time for 100k-value files); adjacent parts are
 * always split at ASCII or at text decoded from UTF-8, so encoding the joined text gives
 * the same bytes as encoding each part.
 */
export function joinParts(parts: RawText[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let text = "";
  for (const p of parts) {
    if (typeof p === "string") text += p;
    else {
      if (text) chunks.push(Buffer.from(text, "utf8"));
      text = "";
      chunks.push(p);
    }
  }
  if (text || chunks.length === 0) chunks.push(Buffer.from(text, "utf8"));
  const out = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  // A plain Uint8Array view (callers and tests compare with Uint8Array), no copy.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
