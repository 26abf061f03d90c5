/**
 * The YAML format (SOPS's YAML store, go-yaml v3 semantics). A hand-written fast path
 * parses the YAML real config files use and keeps layout in node `src`, so emitting a
 * parsed tree patches the original text; other YAML falls back to the `yaml` package
 * (loaded lazily). Trees without `src` are emitted in go-yaml v3 layout like SOPS.
 */
import { EXIT, FormatError } from "../../errors.js";
import type { MapNode, Node } from "../../tree/types.js";
import type { EmitContext, Format, ParseContext } from "../types.js";
import { Unsupported } from "./cursor.js";
import { emitFresh, emitFreshValue } from "./fresh-emit.js";
import { parseFast } from "./parse-fast.js";
import { emitPatched, patchable } from "./patch-emit.js";

const encoder = new TextEncoder();

function decode(input: Uint8Array, file: string): { text: string; bom: boolean } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch (cause) {
    throw new FormatError(`${file}: invalid UTF-8 in YAML input`, { cause, hint: "save the file as UTF-8" });
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { text: bom ? text.slice(1) : text, bom };
}

function needDocument(file: string): FormatError {
  return new FormatError(`${file}: file cannot be completely empty, it must contain at least one document`, {
    exitCode: EXIT.NeedAtLeastOneDocument,
    hint: "add at least one key, e.g. `key: value`",
  });
}

function indentOf(ctx: EmitContext): number {
  const indent = ctx.indent ?? 4;
  if (indent < 0) throw new FormatError(`${ctx.file}: YAML negative indentation not accepted`, { hint: "use --indent 0 or more" });
  return indent === 0 ? 4 : indent;
}

async function parseSlow(text: string, file: string): Promise<MapNode[]> {
  const { parseFallback } = await import("./fallback.js");
  return parseFallback(text, file);
}

/** `yamlFormat`: see module comment. */
export const yamlFormat: Format = {
  name: "yaml",
  parse(input: Uint8Array, ctx: ParseContext): MapNode[] | Promise<MapNode[]> {
    const { text, bom } = decode(input, ctx.file);
    let docs: MapNode[];
    try {
      docs = parseFast(text, ctx.file, bom);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      return parseSlow(text, ctx.file).then((d) => {
        if (d.length === 0) throw needDocument(ctx.file);
        return d;
      });
    }
    if (docs.length === 0) throw needDocument(ctx.file);
    return docs;
  },
  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    const indent = indentOf(ctx);
    const file = patchable(documents);
    const text = file ? emitPatched(documents, file, indent) : emitFresh(documents, indent);
    // Buffer.from encodes a large string much faster than TextEncoder; same bytes.
    const out = Buffer.from(text, "utf8");
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    if (node.kind === "leaf" && node.value.type === "str") return encoder.encode(node.value.value);
    if (node.kind === "leaf" && node.value.type === "bytes") return node.value.value;
    if (node.kind === "map") return encoder.encode(emitFresh([node], indentOf(ctx)));
    return encoder.encode(emitFreshValue(node));
  },
};
