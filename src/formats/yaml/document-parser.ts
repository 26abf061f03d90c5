/**
 * The stream level: directives (`%YAML`, `%TAG`), `---` / `...` markers, one root
 * mapping per document (an empty document is an empty mapping).
 */
import type { MapNode } from "../../tree/types.js";
import { BlockParser, type Parsed } from "./block-parser.js";
import { CommentEngine } from "./comments.js";
import { CH, type Cursor, isBlank } from "./cursor.js";
import { mapNode } from "./nodes.js";
import { isDocumentMarker } from "./scalars.js";
import type { ContainerSrc, DocSrc, FileSrc } from "./src-types.js";

function directive(p: BlockParser, at: number): void {
  const { c } = p;
  const line = c.text.slice(at, c.lineEnd(at));
  const body = line.replace(/\s+#.*$/, "");
  const parts = body.slice(1).trim().split(/[ \t]+/);
  if (parts[0] === "YAML") {
    if (!/^1\.\d+$/.test(parts[1] ?? "")) throw c.error(at, "found incompatible YAML document");
  } else if (parts[0] === "TAG") {
    const [, handle, prefix] = parts;
    if (!handle || !prefix || !/^!([\w-]*!)?$/.test(handle)) throw c.error(at, "did not find expected tag handle");
    if (p.handles.has(handle)) throw c.error(at, "found duplicate %TAG directive");
    p.handles.set(handle, prefix);
  }
}

function rootFrom(c: Cursor, parsed: Parsed, root: MapNode, at: number): void {
  const n = parsed.node;
  if (n.kind === "map") {
    if (n !== root) {
      root.items.push(...n.items);
      root.src = n.src;
    }
    return;
  }
  if (n.kind === "leaf" && n.value.type === "null") return;
  const what = n.kind === "seq" ? "sequences" : "values";
  throw c.error(at, `YAML documents that are ${what} are not supported`, "SOPS needs a mapping at the top of every document");
}

/** Parse all documents of the stream. */
export function parseDocuments(c: Cursor, file: FileSrc): MapNode[] {
  const eng = new CommentEngine(c, file);
  const p = new BlockParser(c, file, eng);
  const t = c.text;
  const docs: MapNode[] = [];
  let next = p.trivia(0);
  for (;;) {
    const docStart = docs.length === 0 ? 0 : next;
    p.handles = new Map();
    let directives = false;
    while (t.charCodeAt(next) === CH.percent && c.column(next) === 0) {
      directive(p, next);
      directives = true;
      next = p.trivia(c.lineEnd(next));
    }
    const root: MapNode = mapNode();
    eng.root = root;
    let explicit = false;
    let bodyStart = next;
    if (isDocumentMarker(c, next) && t.charCodeAt(next) === CH.dash) {
      explicit = true;
      eng.setPrior("doc", root);
      bodyStart = next + 3;
      const v = c.skipBlanks(next + 3);
      const vc = t.charCodeAt(v);
      if (vc === CH.hash || vc === CH.lf || vc === CH.cr || Number.isNaN(vc)) next = p.trivia(next + 3);
      else next = v;
    } else if (directives) {
      throw c.error(next, "did not find expected <document start>");
    } else if (next >= t.length) {
      break;
    } else if (isDocumentMarker(c, next)) {
      // A stray `...` between documents.
      next = p.trivia(next + 3);
      continue;
    }
    if (!p.atEnd(next)) {
      const at = next;
      if (isBlank(t.charCodeAt(at))) throw c.error(at, "found a tab character that violates indentation");
      const parsed = p.parseNode(at, -1, { holder: undefined, role: "root", sameLine: explicit && c.lineStart(at) !== at, parent: undefined, target: root });
      rootFrom(c, parsed, root, at);
      next = parsed.next;
      if (!p.atEnd(next)) throw c.error(next, "did not find expected <document start>");
    }
    let docEnd = next;
    if (isDocumentMarker(c, next) && t.charCodeAt(next) === CH.dot) {
      eng.setPrior("doc", root);
      docEnd = next + 3;
      next = p.trivia(next + 3);
    }
    eng.beforeItem(root);
    const rootSrc = root.src as ContainerSrc | undefined;
    const src: DocSrc = {
      kind: "map",
      file,
      flow: rootSrc?.flow ?? false,
      col: rootSrc?.col ?? 0,
      start: rootSrc?.start ?? bodyStart,
      end: rootSrc?.end ?? bodyStart,
      items: [],
      spans: undefined,
      doc: docs.length,
      docStart,
      docEnd,
      bodyStart,
    };
    root.src = src;
    docs.push(root);
    if (next >= t.length) break;
  }
  return docs;
}
