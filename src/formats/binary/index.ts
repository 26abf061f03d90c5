/**
 * The binary format (SOPS's binary store): the whole file is one value under `data`.
 * Plain input keeps its exact bytes (`bytes`, never decoded as lossy UTF-8); the
 * encrypted form is the JSON envelope `{"data": "ENC[…]", "sops": {…}}` in SOPS's JSON
 * store layout.
 */
import { FormatError } from "../../errors.js";
import type { MapNode, Node } from "../../tree/types.js";
import { emitJson, parseJson } from "../json/index.js";
import type { EmitContext, Format, ParseContext } from "../types.js";

const NOT_BINARY_HINT =
  "the binary format writes the raw `data` value only; use --output-type json or yaml to see the whole tree";

/** Drop layout hints so the envelope is written exactly as SOPS's JSON store would. */
function withoutLayout(node: Node): Node {
  if (node.kind === "leaf") return { kind: "leaf", value: node.value };
  if (node.kind === "seq") return { kind: "seq", items: node.items.map((i) => (i.kind === "comment" ? i : withoutLayout(i))) };
  return {
    kind: "map",
    items: node.items.map((i) => (i.kind === "comment" ? i : { kind: "entry", key: i.key, value: withoutLayout(i.value) })),
  };
}

function rawData(doc: MapNode, file: string): Uint8Array {
  const entry = doc.items.find((i) => i.kind === "entry" && i.key === "data");
  if (!entry || entry.kind !== "entry") {
    throw new FormatError(`${file}: no binary data found in the tree (no "data" key)`, { hint: NOT_BINARY_HINT });
  }
  const node = entry.value;
  if (node.kind === "leaf" && node.value.type === "bytes") return node.value.value;
  if (node.kind === "leaf" && node.value.type === "str") return new TextEncoder().encode(node.value.value);
  throw new FormatError(`${file}: the "data" value is not a string, so it cannot be written as a binary file`, {
    hint: NOT_BINARY_HINT,
  });
}

export const binaryFormat: Format = {
  name: "binary",

  parse(input: Uint8Array, ctx: ParseContext): MapNode[] {
    if (ctx.mode === "encrypted") {
      try {
        return [parseJson(input, ctx.file)];
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        throw new FormatError(error.message, {
          cause: error,
          position: error.position,
          hint: "an encrypted binary file is SOPS's JSON envelope {\"data\": \"ENC[…]\", \"sops\": {…}}; is this file encrypted?",
        });
      }
    }
    const data: Node = { kind: "leaf", value: { type: "bytes", value: input } };
    return [{ kind: "map", items: [{ kind: "entry", key: "data", value: data }] }];
  },

  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    const doc = documents[0];
    if (documents.length !== 1 || !doc) {
      throw new FormatError(`${ctx.file}: a binary file holds exactly one document, got ${documents.length}`, {
        hint: NOT_BINARY_HINT,
      });
    }
    const encrypted = doc.items.some((i) => i.kind === "entry" && i.key === "sops");
    if (encrypted) return emitJson(withoutLayout(doc) as MapNode, ctx);
    return rawData(doc, ctx.file);
  },

  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    if (node.kind === "leaf" && (node.value.type === "str" || node.value.type === "bytes")) {
      return node.value.type === "bytes" ? node.value.value : new TextEncoder().encode(node.value.value);
    }
    if (node.kind === "map") return rawData(node, ctx.file);
    throw new FormatError(`${ctx.file}: binary files are not structured; only the "data" value can be extracted`, {
      hint: `use --extract '["data"]', or --output-type json to extract a structured value`,
    });
  },
};
