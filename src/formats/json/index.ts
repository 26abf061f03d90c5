/**
 * The JSON format (SOPS JSON store semantics, 3.13.2 number typing) with a faithful
 * round trip: unchanged parts of a parsed file are emitted byte for byte.
 *
 * Not byte-exact after a value changes (e.g. decrypt of a sobre-encrypted file): the
 * value is re-rendered as Go would write it, so `1.50` → `1.5`, `1E3` → `1000`,
 * `"\u00e9"` → `"é"`, `"\/"` → `"/"`, `-0.0` → `-0`; invalid UTF-8 in the input becomes
 * U+FFFD (as Go's decoder does).
 */
import { isAscii } from "node:buffer";
import { FormatError } from "../../errors.js";
import { EncRanges } from "../../tree/enc-ranges.js";
import type { MapNode, Node } from "../../tree/types.js";
import type { EmitContext, Format, ParseContext } from "../types.js";
import { emitDocumentParts, emitFresh, freshStyle } from "./emit.js";
import { parseJsonBytes } from "./bytes-parser.js";
import { parseJsonText } from "./parser.js";
import { renderJsonScalar } from "./scalar.js";

function checkIndent(ctx: EmitContext): number | undefined {
  if (ctx.indent !== undefined && (ctx.indent < 0 || !Number.isInteger(ctx.indent))) {
    throw new FormatError(`${ctx.file}: invalid JSON indent ${ctx.indent}`, {
      hint: "use a whole number of spaces ≥ 0 (stores.json.indent), or leave it unset for tabs",
    });
  }
  return ctx.indent;
}

/** Decode bytes for the JSON parser, keeping a BOM visible so it can be re-emitted. */
export function decodeJsonInput(input: Uint8Array): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
}

/**
 * Parse JSON bytes into one MapNode (the top level must be an object). `encRanges`
 * (decrypt path): ENC values of an ASCII input stay byte ranges (`tree/enc-ranges.ts`).
 */
export function parseJson(input: Uint8Array, file: string, encRanges?: (ranges: EncRanges) => void): MapNode {
  if (!encRanges || !isAscii(input)) return parseJsonText(decodeJsonInput(input), file);
  const ranges = new EncRanges(input, readAscii);
  encRanges(ranges);
  // Read from the bytes: a whole-input string would outlive the parse until a mark-compact.
  return parseJsonBytes(input, file, ranges);
}

/** A canonical ASCII string value's text (its bytes are its characters). */
function readAscii(source: Uint8Array, start: number, end: number): string {
  return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString("latin1", start, end);
}

/** Emit one JSON document (faithful where the tree carries JSON layout hints). */
export function emitJson(root: MapNode, ctx: EmitContext): Uint8Array {
  // Encoded part by part into one buffer: the whole text never exists as one string.
  return emitDocumentParts(root, checkIndent(ctx), ctx.file).toBytes();
}

/** Render a subtree in SOPS's JSON layout (no layout hints), as `sops --extract` does. */
export function renderJsonFresh(node: Node, ctx: EmitContext): string {
  const out: string[] = [];
  emitFresh(node, "", freshStyle(checkIndent(ctx)), { out, file: ctx.file });
  return out.join("");
}

export const jsonFormat: Format = {
  name: "json",

  parse(input: Uint8Array, ctx: ParseContext): MapNode[] {
    return [parseJson(input, ctx.file, ctx.mode === "encrypted" ? ctx.encRanges : undefined)];
  },

  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    if (documents.length !== 1 || !documents[0]) {
      throw new FormatError(`${ctx.file}: a JSON file holds exactly one document, got ${documents.length}`, {
        hint: "use --output-type yaml for multi-document input",
      });
    }
    return emitJson(documents[0], ctx);
  },

  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    // Like `sops -d --extract`: strings raw, maps as a whole file, anything else as indented JSON.
    if (node.kind === "leaf") {
      if (node.value.type === "bytes") return node.value.value;
      if (node.value.type === "str") return new TextEncoder().encode(node.value.value);
      return new TextEncoder().encode(renderJsonScalar(node.value, ctx.file));
    }
    const text = renderJsonFresh(node, ctx);
    return new TextEncoder().encode(node.kind === "map" ? text + "\n" : text);
  },
};
