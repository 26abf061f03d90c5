/**
 * Writing one TOML value: re-uses the parsed literal while the value is unchanged (so
 * `0xFF`, `1_000`, `'C:\x'` and date spellings survive), re-uses the template of an
 * inline array/table while its shape is unchanged, and writes canonical TOML otherwise.
 */
import { FormatError } from "../../errors.js";
import type { Comment, Leaf, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { writeKey, writePath } from "./keys.js";
import { type InlineSrc, type LeafSrc, srcOf } from "./layout.js";
import { canonicalTime, isDateTimeOf, writeFloat } from "./scalars.js";
import { hasLeadingNewline, writeBasic, writeMlBasic, writeString } from "./strings.js";

/** A key path for error messages, computed only when an error is thrown. */
export type PathRef = readonly string[] | (() => readonly string[]);

/** `path` extended by `key`, lazily. */
export function childPath(path: PathRef, key: string): PathRef {
  return () => [...(typeof path === "function" ? path() : path), key];
}

/** What value rendering needs: the file (for errors), line ending and indent unit. */
export interface RenderContext {
  readonly file: string;
  readonly eol: string;
  /** One level of indentation for multi-line arrays written fresh. */
  readonly indentUnit: string;
}

/** A FormatError for a value TOML cannot hold, naming its key path. */
export function cannotWrite(ctx: RenderContext, pathRef: PathRef, why: string, hint: string): FormatError {
  const path = typeof pathRef === "function" ? pathRef() : pathRef;
  const where = path.length > 0 ? ` at ${writePath(path)}` : "";
  return new FormatError(`${ctx.file}: cannot write toml${where}: ${why}`, { hint });
}

/** `#text` for a comment; comments cannot span lines. */
export function writeComment(c: Comment, ctx: RenderContext, path: PathRef): string {
  if (c.text.includes("\n") || c.text.includes("\r")) throw cannotWrite(ctx, path, "a comment contains a line break", "split it into one comment per line");
  return "#" + c.text;
}

function sameScalar(now: ScalarValue, orig: ScalarValue): boolean {
  if (now.type !== orig.type) return false;
  switch (now.type) {
    case "float":
      return Object.is(now.value, (orig as { value: number }).value);
    case "time":
      return now.value === (orig as { value: string }).value || canonicalTime(now.value) === (orig as { value: string }).value;
    case "bytes":
    case "null":
      return false;
    default:
      return now.value === (orig as { value: unknown }).value;
  }
}

/** The TOML text of a scalar (no layout re-use). */
export function writeScalar(v: ScalarValue, ctx: RenderContext, path: PathRef, src?: LeafSrc): string {
  switch (v.type) {
    case "str":
      return writeStr(v.value, ctx, src);
    case "int":
      return v.value.toString();
    case "float":
      return writeFloat(v.value);
    case "bool":
      return v.value ? "true" : "false";
    case "time":
    case "datetime_local":
    case "date_local":
    case "time_local":
      if (!isDateTimeOf(v.type, v.value)) {
        throw cannotWrite(ctx, path, `the ${v.type} value is not a valid TOML date/time`, "check the decrypted value");
      }
      return v.type === "time" ? (canonicalTime(v.value) ?? v.value) : v.value;
    case "bytes": {
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(v.value);
      } catch {
        throw cannotWrite(ctx, path, "the value is not valid UTF-8", "TOML holds text only; use --output-type binary or json");
      }
      return writeStr(text, ctx, src);
    }
    case "null":
      throw cannotWrite(ctx, path, "TOML has no null", "remove the key or give it a value (e.g. an empty string)");
  }
}

function writeStr(value: string, ctx: RenderContext, src?: LeafSrc): string {
  // An ENC value is written in the string kind of the value it replaces ('ENC[…]' for a
  // literal string, """ENC[…]""" for a multi-line one), and decrypting writes the
  // plaintext back in the kind of the ENC literal: the string kind survives the round trip.
  if (src?.kind !== undefined) {
    const leading = (src.kind === "ml-basic" || src.kind === "ml-literal") && hasLeadingNewline(src.raw);
    const s = writeString(value, src.kind, ctx.eol, leading);
    if (s !== null) return s;
  }
  if (value.startsWith("ENC[")) return writeBasic(value);
  // Backslashes (Windows paths, regexes) read better in a literal string when it can hold the value.
  const multiline = value.includes("\n");
  if (value.includes("\\")) {
    const literal = writeString(value, multiline ? "ml-literal" : "literal", ctx.eol, multiline);
    if (literal !== null) return literal;
  }
  return multiline ? writeMlBasic(value, ctx.eol, true) : writeBasic(value);
}

/** A leaf's TOML text: its original literal while the value is the one parsed. */
export function renderLeaf(leaf: Leaf, ctx: RenderContext, path: PathRef): string {
  const src = srcOf(leaf);
  if (src?.toml === "leaf") {
    if (sameScalar(leaf.value, src.orig)) return src.raw;
    return writeScalar(leaf.value, ctx, path, src);
  }
  return writeScalar(leaf.value, ctx, path);
}

function shapeIntact(src: InlineSrc): boolean {
  for (const shape of src.shapes) {
    const items = shape.node.items;
    if (items.length !== shape.items.length) return false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item !== shape.items[i]) return false;
      if (shape.values && item?.kind === "entry" && item.value !== shape.values[i]) return false;
    }
  }
  return true;
}

/**
 * A value as it appears after `key = `. `lineIndent` is the indentation of the line it
 * starts on (used by multi-line arrays written fresh).
 */
export function renderValue(node: Node, ctx: RenderContext, path: PathRef, lineIndent = ""): string {
  if (node.kind === "leaf") return renderLeaf(node, ctx, path);
  const src = srcOf(node);
  if (src?.toml === "inline" && shapeIntact(src)) {
    let out = "";
    let last = 0;
    for (const span of src.spans) {
      out += src.raw.slice(last, span.start);
      const ref = span.ref;
      if (ref.kind === "comment") {
        out += writeComment(ref, ctx, path).slice(1);
      } else {
        out += renderValue(ref, ctx, path, lineIndent);
      }
      last = span.end;
    }
    return out + src.raw.slice(last);
  }
  return node.kind === "seq" ? freshArray(node, ctx, path, lineIndent) : freshInlineTable(node, ctx, path, lineIndent);
}

/** `[a, b]` on one line, or one item per line when the array holds comments. */
export function freshArray(seq: SeqNode, ctx: RenderContext, path: PathRef, lineIndent: string): string {
  if (seq.items.length === 0) return "[]";
  if (!seq.items.some((i) => i.kind === "comment")) {
    return "[" + seq.items.map((i) => renderValue(i as Node, ctx, path, lineIndent)).join(", ") + "]";
  }
  const inner = lineIndent + ctx.indentUnit;
  let out = "[" + ctx.eol;
  for (const item of seq.items) {
    out += inner;
    out += item.kind === "comment" ? writeComment(item, ctx, path) : renderValue(item, ctx, path, inner) + ",";
    out += ctx.eol;
  }
  return out + lineIndent + "]";
}

/** `{ a = 1, b = 2 }`. Comments cannot be written inside an inline table and are left out. */
export function freshInlineTable(map: MapNode, ctx: RenderContext, path: PathRef, lineIndent: string): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const item of map.items) {
    if (item.kind !== "entry") continue;
    if (seen.has(item.key)) throw duplicateKey(ctx, path, item.key);
    seen.add(item.key);
    parts.push(writeKey(item.key) + " = " + renderValue(item.value, ctx, childPath(path, item.key), lineIndent));
  }
  return parts.length === 0 ? "{}" : "{ " + parts.join(", ") + " }";
}

/** The error for a key that appears twice in one table. */
export function duplicateKey(ctx: RenderContext, path: PathRef, key: string): FormatError {
  return cannotWrite(ctx, childPath(path, key), "the key appears twice in its table", "TOML keys are unique per table; rename or remove one");
}
