/**
 * The dotenv format: SOPS-compatible, with a faithful round trip.
 *
 * Reading (both modes, as SOPS): split on LF; blank lines are layout; a line whose
 * first non-blank character is `#` is a comment (text after `#`); other lines are
 * `KEY=VALUE` split at the first `=` with nothing trimmed — `export FOO=1` has the key
 * `export FOO`, exactly as SOPS reads it, so AADs agree with SOPS-written files; a
 * two-character `\n` in an unquoted value is a newline. Values are strings, or bytes
 * when the line is not valid UTF-8. Keys starting with `sops_` are the flattened
 * metadata and become the nested `sops` entry (in plain mode their presence means
 * "already encrypted").
 *
 * Quotes are part of the value, as in SOPS (`KEY="a b"` encrypts `"a b"` with its quotes),
 * so a file encrypted by sobre or by SOPS holds the same values, `sobre decrypt` and
 * `sops -d` print the same text, and every line round-trips byte for byte. exec-env
 * strips one pair of matching outer quotes when it builds the environment, which is
 * what a dotenv user means. Beyond SOPS (plain mode): a quoted value spanning several
 * lines (which SOPS rejects) is one value made of those lines; it is re-emitted across
 * lines when the same tree is written back, and as SOPS's `\n` form after an encrypt →
 * decrypt cycle (same value, different bytes).
 *
 * Writing: plain output keeps every unchanged line byte for byte. Encrypted output is
 * always what SOPS reads: `KEY=VALUE` (newlines as `\n`), `#comment`, blank lines, then
 * the `sops_…` lines.
 */
import { FormatError } from "../../errors.js";
import type { MapNode, Node } from "../../tree/types.js";
import { scalarToText, unflattenMetadata } from "../flatten.js";
import type { EmitContext, Format, ParseContext } from "../types.js";
import { partsToBytes } from "../emit-bytes.js";
import { emitDotenvParts } from "./emit.js";
import { parseDotenv } from "./parser.js";

function metadataNode(pairs: Array<[string, string]>, mode: ParseContext["mode"]): MapNode {
  try {
    return unflattenMetadata(pairs, "sops_");
  } catch (error) {
    if (mode === "encrypted") throw error;
    // Plain input with sops_ keys is refused as already encrypted; keep the keys visible.
    return { kind: "map", items: pairs.map(([k, v]) => ({ kind: "entry", key: k, value: { kind: "leaf", value: { type: "str", value: v } } })) };
  }
}

export const dotenvFormat: Format = {
  name: "dotenv",

  parse(input: Uint8Array, ctx: ParseContext): MapNode[] {
    const { doc, metadata } = parseDotenv(input, ctx.file, ctx.mode === "plain", ctx.mode === "encrypted" ? ctx.encRanges : undefined);
    if (metadata.length > 0) {
      let sops: MapNode;
      try {
        sops = metadataNode(metadata, ctx.mode);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new FormatError(`${ctx.file}: invalid sops_ metadata: ${message}`, {
          cause: error,
          hint: "the sops_… lines of an encrypted dotenv file must not be edited by hand",
        });
      }
      doc.items.push({ kind: "entry", key: "sops", value: sops });
    }
    return [doc];
  },

  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    const doc = documents[0];
    if (documents.length !== 1 || !doc) {
      throw new FormatError(`${ctx.file}: a dotenv file holds exactly one document, got ${documents.length}`, {
        hint: "use --output-type yaml for multi-document input",
      });
    }
    return emitDotenvParts(doc, ctx.file).toBytes();
  },

  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    if (node.kind === "leaf") return partsToBytes([scalarToText(node.value)]);
    if (node.kind === "map") return emitDotenvParts(node, ctx.file).toBytes();
    throw new FormatError(`${ctx.file}: cannot write a list as dotenv`, {
      hint: "extract a single value, or use --output-type json or yaml",
    });
  },
};
