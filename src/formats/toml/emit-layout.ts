/**
 * Layout-preserving emit for a tree parsed from TOML: the original statements are
 * written in their original order with their original whitespace, skipping the ones
 * whose entry/comment/table left the tree, with each value rendered from its current
 * content; new items go where `plan` put them.
 */
import type { Comment, MapNode, SeqNode } from "../../tree/types.js";
import { Out } from "./emit-fresh.js";
import type { DocSrc, HeaderStmt, KvStmt } from "./layout.js";
import { type Plan, plan } from "./plan.js";
import { type RenderContext, renderValue, writeComment } from "./render.js";

function headerLive(s: HeaderStmt, containerOf: Map<object, MapNode | SeqNode>): boolean {
  if (!containerOf.has(s.entry)) return false;
  if (s.seq) return s.entry.value === s.seq && containerOf.get(s.section.map) === s.seq;
  return s.entry.value === s.section.map;
}

function kvLive(s: KvStmt, containerOf: Map<object, MapNode | SeqNode>): boolean {
  for (const link of s.chain) if (containerOf.get(link.entry) !== link.container) return false;
  return true;
}

/** What follows a value or header: the original spacing and inline comment, if still there. */
function trailer(
  s: { after: string; inline?: Comment },
  containerOf: Map<object, MapNode | SeqNode>,
  ctx: RenderContext,
  path: readonly string[],
): string {
  if (!s.inline) return s.after;
  return containerOf.has(s.inline) ? s.after + writeComment(s.inline, ctx, path) : "";
}

/** Emit with the layout of `doc`; returns the text and the plan (for its verify flag). */
export function emitLayout(root: MapNode, doc: DocSrc, ctx: RenderContext): { text: string; plan: Plan } {
  const p = plan(root, doc, ctx);
  const { containerOf, inserts } = p;
  const out = new Out(doc.eol);
  const live = new Map<HeaderStmt, boolean>();
  const isLive = (h: HeaderStmt): boolean => {
    let v = live.get(h);
    if (v === undefined) {
      v = headerLive(h, containerOf);
      live.set(h, v);
    }
    return v;
  };
  const runInserts = (i: number): void => {
    const list = inserts.get(i);
    if (!list) return;
    for (const fn of list) {
      out.newline();
      fn(out);
    }
  };

  let sectionPath: readonly string[] = [];
  const stmts = doc.stmts;
  for (let i = 0; i < stmts.length; i++) {
    runInserts(i);
    const s = stmts[i]!;
    switch (s.t) {
      case "blank":
        if (!s.group || isLive(s.group)) out.text += s.text;
        break;
      case "comment":
        if (containerOf.has(s.comment)) out.text += s.indent + writeComment(s.comment, ctx, sectionPath) + s.eol;
        break;
      case "kv": {
        const last = s.chain[s.chain.length - 1]!;
        const path = [...sectionPath, ...s.chain.map((l) => l.entry.key)];
        if (kvLive(s, containerOf)) {
          out.text += s.indent + s.key + s.eq + renderValue(last.entry.value, ctx, path, s.indent);
          out.text += trailer(s, containerOf, ctx, path) + s.eol;
        } else if (s.inline && containerOf.has(s.inline)) {
          out.text += s.indent + writeComment(s.inline, ctx, path) + s.eol;
        }
        break;
      }
      case "header":
        sectionPath = s.section.path;
        if (isLive(s)) out.text += s.text + trailer(s, containerOf, ctx, sectionPath) + s.eol;
        else if (s.inline && containerOf.has(s.inline)) out.text += writeComment(s.inline, ctx, sectionPath) + s.eol;
        break;
    }
  }
  runInserts(stmts.length);
  return { text: out.text, plan: p };
}
