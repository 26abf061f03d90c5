/**
 * The INI format with go-ini semantics as SOPS uses them (see parser.ts), a faithful
 * round trip of parsed files, and SOPS's metadata layout: a final `[sops]` section
 * with keys flattened like dotenv's (no `sops_` prefix) and newlines written as `\n`.
 * Both that and the raw multi-line `"""…"""` metadata of SOPS 3.13.0/3.13.1 are read.
 *
 * Not kept: blank lines between the lines of one comment block once the comment is
 * re-rendered (encrypted/decrypted), inline comments (re-rendered on their own line
 * before the key, as go-ini does), the second line of a repeated key (go-ini keeps one
 * value per key), comments after the last key in encrypted output (go-ini drops them).
 */
import { FormatError } from "../../errors.js";
import type { MapEntry, MapNode, Node } from "../../tree/types.js";
import { unflattenMetadata } from "../flatten.js";
import { emitFresh } from "../json/emit.js";
import { renderJsonScalar } from "../json/scalar.js";
import type { EmitContext, Format, ParseContext } from "../types.js";
import { emitIniText } from "./emit.js";
import { IniParser } from "./parser.js";

function decode(input: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch (error) {
    throw new FormatError(`${file}: not valid UTF-8 text`, {
      cause: error,
      hint: "INI files must be UTF-8; use --input-type binary to encrypt arbitrary bytes",
    });
  }
}

/** Move the `[sops]` section into a nested `sops` entry (SOPS ExtractMetadata, FlattenBelowTop). */
function extractMetadata(root: MapNode, file: string): void {
  const sections = root.items.filter((i): i is MapEntry => i.kind === "entry" && i.key === "sops");
  if (sections.length === 0) return;
  if (sections.length > 1) {
    throw new FormatError(`${file}: found more than one [sops] section`, { hint: "keep only the last [sops] section" });
  }
  const section = sections[0]!;
  const pairs: Array<[string, string]> = [];
  for (const item of (section.value as MapNode).items) {
    if (item.kind !== "entry" || item.value.kind !== "leaf" || item.value.value.type !== "str") continue;
    pairs.push([item.key, item.value.value.value.replaceAll("\\n", "\n")]);
  }
  let sops: MapNode;
  try {
    sops = unflattenMetadata(pairs, "");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FormatError(`${file}: invalid [sops] section: ${message}`, {
      cause: error,
      hint: "the [sops] section of an encrypted INI file must not be edited by hand",
    });
  }
  root.items = root.items.filter((i) => i !== section);
  root.items.push({ kind: "entry", key: "sops", value: sops });
}

export const iniFormat: Format = {
  name: "ini",

  parse(input: Uint8Array, ctx: ParseContext): MapNode[] {
    let text = decode(input, ctx.file);
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    const root = new IniParser(text, ctx.file).parse(bom);
    if (ctx.mode === "encrypted") extractMetadata(root, ctx.file);
    return [root];
  },

  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    const doc = documents[0];
    if (documents.length !== 1 || !doc) {
      throw new FormatError(`${ctx.file}: an INI file holds exactly one document, got ${documents.length}`, {
        hint: "use --output-type yaml for multi-document input",
      });
    }
    return new TextEncoder().encode(emitIniText(doc, ctx.file));
  },

  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    const encoder = new TextEncoder();
    if (node.kind === "leaf") {
      if (node.value.type === "bytes") return node.value.value;
      if (node.value.type === "str") return encoder.encode(node.value.value);
      return encoder.encode(renderJsonScalar(node.value, ctx.file));
    }
    if (node.kind === "seq") {
      // SOPS marshals a list with encoding/json (compact).
      const st = { out: [] as string[], file: ctx.file };
      emitFresh(node, "", { newline: false, unit: "", colon: ":", space: "" }, st);
      return encoder.encode(st.out.join(""));
    }
    const isSections = node.items.some((i) => i.kind === "entry" && i.value.kind === "map");
    const doc: MapNode = isSections ? node : { kind: "map", items: [{ kind: "entry", key: "DEFAULT", value: node }] };
    return encoder.encode(emitIniText(doc, ctx.file));
  },
};
