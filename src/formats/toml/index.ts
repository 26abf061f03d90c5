/**
 * The TOML format (sobre extension; SOPS has no TOML store). TOML 1.0, parsed and
 * written by this folder so that comments, spacing, key order, string kinds and number
 * spellings survive a decrypt/encrypt cycle. See docs/toml.md.
 */
import { FormatError, InternalError } from "../../errors.js";
import type { MapNode, Node } from "../../tree/types.js";
import type { EmitContext, Format, ParseContext } from "../types.js";
import { positionOf } from "../position.js";
import { orderFresh, writeDocument } from "./emit-fresh.js";
import { emitLayout } from "./emit-layout.js";
import { srcOf } from "./layout.js";
import { reorderLike, sameData } from "./order.js";
import { parseToml } from "./parser.js";
import { plan } from "./plan.js";
import { type RenderContext, renderValue, writeScalar } from "./render.js";

function decode(input: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    const lossy = new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
    const at = lossy.indexOf("\uFFFD");
    const position = positionOf(lossy, at < 0 ? 0 : at);
    throw new FormatError(`${file}:${position.line}:${position.column}: the file is not valid UTF-8`, {
      position,
      hint: "TOML files must be UTF-8; re-save the file as UTF-8",
    });
  }
}

function renderContext(ctx: EmitContext, eol: string): RenderContext {
  return { file: ctx.file, eol, indentUnit: " ".repeat(ctx.indent ?? 4) };
}

function single(documents: MapNode[], ctx: EmitContext): MapNode {
  const [doc] = documents;
  if (documents.length !== 1 || !doc) {
    throw new FormatError(`${ctx.file}: a TOML file holds exactly one document, got ${documents.length}`, {
      hint: "split multi-document YAML into one file per document, or use --output-type yaml",
    });
  }
  return doc;
}

/** Emit one document: with its parsed layout when it has one (re-checked when needed), else fresh. */
function emitText(doc: MapNode, ctx: EmitContext): string {
  const src = srcOf(doc);
  if (src?.toml !== "doc") return writeDocument(doc, renderContext(ctx, "\n"));
  const rctx = renderContext(ctx, src.eol);
  const { text, plan } = emitLayout(doc, src, rctx);
  if (plan.verify && !readsBackAs(doc, text, ctx.file)) {
    return (src.bom ? "\uFEFF" : "") + writeDocument(doc, rctx);
  }
  return (src.bom ? "\uFEFF" : "") + text;
}

/** Does `text` read back as the same data as `doc`? */
function readsBackAs(doc: MapNode, text: string, file: string): boolean {
  try {
    return sameData(doc, parseToml(text, file));
  } catch {
    return false;
  }
}

function prepareDocument(doc: MapNode, ctx: EmitContext): void {
  const src = srcOf(doc);
  if (src?.toml !== "doc") {
    orderFresh(doc);
    return;
  }
  const p = plan(doc, src, renderContext(ctx, src.eol));
  if (!p.reorders && !p.verify) {
    for (const table of p.freshTables) orderFresh(table);
    return;
  }
  // Placed by layout rules: the order is the one the emitted text reads back in.
  const text = emitText(doc, ctx);
  let read: MapNode;
  try {
    read = parseToml(text, ctx.file);
  } catch (cause) {
    throw new InternalError(`${ctx.file}: emitted TOML does not parse back`, { cause });
  }
  reorderLike(doc, read);
}

/** The TOML format, plus `prepare` (see its TSDoc). */
export const tomlFormat: Format & {
  /**
   * Reorder entries in place into the order TOML will read them back (TOML puts a
   * table's key/values before its sub-tables, so e.g. a key added after a table, or a
   * tree converted from YAML, is read back in another order). Call it after editing or
   * converting a tree and before computing the MAC, so the MAC matches the emitted file.
   * Cheap (no work) for an unedited parsed file plus the appended `sops` table.
   */
  prepare(documents: MapNode[], ctx: EmitContext): void;
} = {
  name: "toml",

  parse(input: Uint8Array, ctx: ParseContext): MapNode[] {
    return [parseToml(decode(input, ctx.file), ctx.file)];
  },

  emit(documents: MapNode[], ctx: EmitContext): Uint8Array {
    return new TextEncoder().encode(emitText(single(documents, ctx), ctx));
  },

  emitValue(node: Node, ctx: EmitContext): Uint8Array {
    const rctx = renderContext(ctx, "\n");
    if (node.kind === "leaf") {
      const v = node.value;
      if (v.type === "bytes") return v.value;
      return new TextEncoder().encode(v.type === "str" ? v.value : writeScalar(v, rctx, []));
    }
    const text = node.kind === "map" ? emitText(node, ctx) : renderValue(node, rctx, []) + "\n";
    return new TextEncoder().encode(text);
  },

  prepare(documents: MapNode[], ctx: EmitContext): void {
    prepareDocument(single(documents, ctx), ctx);
  },
};
