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
import { type PathRef, type RenderContext, renderValue, writeComment } from "./render.js";

function headerLive(s: HeaderStmt, p: Plan): boolean {
  if (!p.isIn(s.entry, s.parent)) return false;
  if (s.seq) return s.entry.value === s.seq && p.isIn(s.section.map, s.seq);
  return s.entry.value === s.section.map;
}

function kvLive(s: KvStmt, p: Plan): boolean {
  if (s.prefix) for (const link of s.prefix) if (!p.isIn(link.entry, link.container)) return false;
  return p.isIn(s.entry, s.container);
}

/** What follows a value or header: the original spacing and inline comment, if still there. */
function trailer(
  s: { after: string; inline?: Comment },
  container: MapNode | SeqNode,
  p: Plan,
  ctx: RenderContext,
  path: PathRef,
): string {
  if (!s.inline) return s.after;
  return p.isIn(s.inline, container) ? s.after + writeComment(s.inline, ctx, path) : "";
}

/** Emit with the layout of `doc`; returns the text and the plan (for its flags). */
export function emitLayout(root: MapNode, doc: DocSrc, ctx: RenderContext): { text: string; plan: Plan } {
  const p = plan(root, doc, ctx);
  const out = new Out(doc.eol);
  const live = new Map<HeaderStmt, boolean>();
  const isLive = (h: HeaderStmt): boolean => {
    let v = live.get(h);
    if (v === undefined) {
      v = headerLive(h, p);
      live.set(h, v);
    }
    return v;
  };
  // Blank lines above a header go with it, unless a comment of its group stays.
  const groupLive = (h: HeaderStmt): boolean => isLive(h) || h.heads.some((c) => p.isIn(c.comment, c.container));
  const runInserts = (i: number): void => {
    const list = p.inserts.get(i);
    if (!list) return;
    for (const fn of list) {
      out.newline();
      fn(out);
    }
  };

  let sectionPath: readonly string[] = [];
  const stmts = doc.stmts;
  for (let i = 0; i < stmts.length; i++) {
    if (p.inserts.size > 0) runInserts(i);
    const s = stmts[i]!;
    switch (s.t) {
      case "blank":
        if (!s.group || groupLive(s.group)) out.write(s.text);
        break;
      case "comment":
        if (p.isIn(s.comment, s.container)) out.write(s.indent + writeComment(s.comment, ctx, sectionPath) + s.eol);
        break;
      case "kv": {
        const base = sectionPath;
        const path = (): readonly string[] => [...base, ...(s.prefix ?? []).map((l) => l.entry.key), s.entry.key];
        if (kvLive(s, p)) {
          out.write(s.indent + s.key + s.eq + renderValue(s.entry.value, ctx, path, s.indent));
          out.write(trailer(s, s.container, p, ctx, path) + s.eol);
        } else if (s.inline && p.isIn(s.inline, s.container)) {
          out.write(s.indent + writeComment(s.inline, ctx, path) + s.eol);
        }
        break;
      }
      case "header": {
        sectionPath = s.section.path;
        const holder = s.seq ?? s.parent;
        if (isLive(s)) out.write(s.text + trailer(s, holder, p, ctx, sectionPath) + s.eol);
        else if (s.inline && p.isIn(s.inline, holder)) out.write(writeComment(s.inline, ctx, sectionPath) + s.eol);
        break;
      }
    }
  }
  runInserts(stmts.length);
  return { text: out.toString(), plan: p };
}
