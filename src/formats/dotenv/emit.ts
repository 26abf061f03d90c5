/**
 * dotenv emission. Plain output reuses the parsed layout (blank lines, comments,
 * multi-line values) where values are unchanged; changed values are rendered as SOPS
 * renders them. Encrypted output is always in the shape SOPS reads:
 * `KEY=VALUE` (newlines as `\n`), `#comment`, blank lines, then `sops_…` metadata.
 */
import { FormatError } from "../../errors.js";
import type { Comment, MapEntry, MapNode, Node } from "../../tree/types.js";
import { PartSink } from "../emit-bytes.js";
import { flattenMetadata, scalarToText } from "../flatten.js";
import { sameScalar } from "../json/layout.js";
import { DotenvCommentSrc, DotenvDocSrc, DotenvEntrySrc, type RawText } from "./layout.js";

const NESTED_HINT = "dotenv holds flat KEY=VALUE pairs; use --output-type yaml or json for nested data";

export function leafOf(entry: MapEntry, file: string): Node & { kind: "leaf" } {
  if (entry.value.kind !== "leaf") {
    throw new FormatError(`${file}: cannot write the nested value of key "${entry.key}" to a dotenv file`, {
      hint: NESTED_HINT,
    });
  }
  return entry.value;
}

/** A data key that would be read back as metadata cannot be written to an encrypted file. */
export function refuseMetadataKey(key: string, file: string): void {
  if (key.startsWith("sops_")) {
    throw new FormatError(`${file}: key "${key}" uses the prefix sops_ reserved for SOPS metadata`, {
      hint: "rename the key; sops_… lines hold the metadata of encrypted dotenv files",
    });
  }
}

/** SOPS's rendering: the text with newlines as the two characters `\n`. */
export function plainValue(text: RawText): RawText {
  if (typeof text === "string") return text.includes("\n") ? text.replaceAll("\n", "\\n") : text;
  const out: number[] = [];
  for (const b of text) {
    if (b === 10) out.push(92, 110);
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** Push the `KEY=VALUE` part of an entry's line(s). */
function pushEntryLine(parts: PartSink, entry: MapEntry, src: DotenvEntrySrc | undefined, file: string): void {
  const leaf = leafOf(entry, file);
  const raw = src?.raw;
  if (raw && raw.key === entry.key && sameScalar(leaf.value, raw.orig)) {
    parts.push(raw.head);
    return;
  }
  // Without `raw` the line is rebuilt: for an unchanged value that gives its bytes back.
  const text = scalarToText(leaf.value);
  // A value read across several lines is written back across lines (sobre extension).
  parts.push(entry.key, "=", src?.multiline && typeof text === "string" ? text : plainValue(text));
}

/** Emit one document as dotenv parts (strings and raw byte runs). */
export function emitDotenvParts(doc: MapNode, file: string): PartSink {
  const parts = new PartSink();
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
      // Encrypted: always a newline, the sops_ lines follow (else they would be glued onto
      // a last comment written without one, and the data key lost).
      parts.push(raw ? (src as DotenvCommentSrc).raw : "#" + item.text, !encrypted && last && src?.eol === "" ? "" : "\n");
      continue;
    }
    if (encrypted) {
      refuseMetadataKey(item.key, file);
      // Separate parts rather than `key + "="`: no per-line string built just to be copied.
      parts.push(item.key, "=", plainValue(scalarToText(leafOf(item, file).value)), "\n");
      continue;
    }
    const esrc = src instanceof DotenvEntrySrc ? src : undefined;
    pushEntryLine(parts, item, esrc, file);
    const next = items[i + 1];
    const nsrc = next?.kind === "comment" && next.src instanceof DotenvCommentSrc ? next.src : undefined;
    if (esrc && next && nsrc?.inline && next.kind === "comment" && next.text === nsrc.orig) {
      // The inline comment is unchanged: keep it on the value's line.
      parts.push(nsrc.raw, i + 1 === items.length - 1 && nsrc.eol === "" ? "" : "\n");
      i++;
      continue;
    }
    parts.push(last && esrc?.eol === "" ? "" : "\n");
  }
  if (doc.src instanceof DotenvDocSrc && doc.src.tail) {
    parts.push(encrypted ? "\n".repeat(doc.src.tail.split("\n").length - 1) : doc.src.tail);
  }
  if (sops) {
    for (const [key, value] of flattenMetadata(sops, "sops_")) parts.push(key, "=", plainValue(value), "\n");
  }
  return parts;
}
