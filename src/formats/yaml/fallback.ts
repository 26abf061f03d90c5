/**
 * Fallback for YAML the fast path does not handle (explicit `?` keys, comments inside
 * flow collections, `[a: b]` pairs, …): the `yaml` package, loaded only when needed.
 * Values are typed like go-yaml v3 (plain scalars through `resolvePlain`); anchors,
 * aliases and custom tags are refused as on the fast path. Layout is NOT preserved on
 * this path: nodes carry no `src`, so the file is re-emitted in go-yaml layout, and
 * comments are attached approximately (before/after the node the `yaml` package
 * associates them with), which may differ from go-yaml's placement.
 */
import { FormatError } from "../../errors.js";
import type { Comment, MapNode, Node, ScalarValue } from "../../tree/types.js";
import { ALIAS_HINT, coreName } from "./properties.js";
import { resolvePlain, UintOverflow } from "./resolve.js";
import { NESTING_HINT, NESTING_MESSAGE } from "../../tree/nesting.js";

type YamlModule = typeof import("yaml");
type YNode = import("yaml").Node;

function comments(text: string | null | undefined): Comment[] {
  if (!text) return [];
  return text.split("\n").map((line) => ({ kind: "comment", text: line, src: { inline: false } }) as Comment);
}

export async function parseFallback(text: string, file: string): Promise<MapNode[]> {
  const Y: YamlModule = await import("yaml");
  const docs = Y.parseAllDocuments(text, { uniqueKeys: true, merge: false, keepSourceTokens: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const fail = (msg: string, offset: number | undefined, hint?: string): FormatError => {
    const before = offset === undefined ? "" : text.slice(0, offset);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    const where = offset === undefined ? "" : `${line}:${column}: `;
    return new FormatError(`${file}:${where}${msg}`, { ...(offset === undefined ? {} : { position: { line, column } }), ...(hint ? { hint } : {}) });
  };

  const scalarValue = (n: import("yaml").Scalar): ScalarValue => {
    const tag = n.tag;
    const src = typeof n.source === "string" ? n.source : String(n.value ?? "");
    if (tag && tag !== "tag:yaml.org,2002:str" && !coreName(tag)) throw fail(`unsupported tag ${tag}`, n.range?.[0]);
    if (n.type === "PLAIN" && (!tag || tag === "tag:yaml.org,2002:int" || tag === "tag:yaml.org,2002:float")) {
      const r = resolvePlain(src);
      if (r instanceof UintOverflow) throw fail("integer out of the signed 64-bit range", n.range?.[0]);
      return r;
    }
    return { type: "str", value: String(n.value ?? "") };
  };

  const convert = (n: YNode | null | undefined): Node => {
    if (n === null || n === undefined) return { kind: "leaf", value: { type: "null" } };
    if (Y.isAlias(n) || (n as { anchor?: string }).anchor) throw fail("anchors and aliases are not supported", n.range?.[0], ALIAS_HINT);
    if (Y.isScalar(n)) return { kind: "leaf", value: scalarValue(n) };
    if (Y.isSeq(n)) {
      const items: (Node | Comment)[] = [];
      for (const it of n.items as YNode[]) {
        items.push(...comments(it?.commentBefore));
        items.push(convert(it));
        items.push(...comments(it?.comment));
      }
      return { kind: "seq", items };
    }
    if (Y.isMap(n)) {
      const map: MapNode = { kind: "map", items: [] };
      for (const pair of n.items) {
        const k = pair.key as YNode | null;
        if (!Y.isScalar(k)) throw fail("complex mapping keys are not supported", (k as YNode | null)?.range?.[0], "SOPS needs plain string keys");
        const kv = scalarValue(k);
        if (kv.type !== "str") throw fail(`mapping key is a ${kv.type}, not a string (SOPS supports string keys only)`, k.range?.[0]);
        if (kv.value === "<<" && k.type === "PLAIN") throw fail("merge keys (<<) are not supported", k.range?.[0], ALIAS_HINT);
        map.items.push(...comments(k.commentBefore));
        map.items.push({ kind: "entry", key: kv.value, value: convert(pair.value as YNode | null) });
        map.items.push(...comments((pair.value as YNode | null)?.comment));
      }
      return map;
    }
    throw fail("unsupported YAML node", undefined);
  };

  const out: MapNode[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    // The `yaml` package composes recursively and reports its own stack overflow as a
    // document error: name the real cause.
    if (err && /call stack/i.test(err.message)) throw fail(NESTING_MESSAGE, err.pos[0], NESTING_HINT);
    if (err) throw fail(err.message.split("\n")[0] ?? "invalid YAML", err.pos[0]);
    const root = convert(doc.contents as YNode | null);
    if (root.kind === "leaf" && root.value.type === "null") {
      out.push({ kind: "map", items: [...comments(doc.commentBefore), ...comments(doc.comment)] });
      continue;
    }
    if (root.kind !== "map") {
      throw fail(`YAML documents that are ${root.kind === "seq" ? "sequences" : "values"} are not supported`, undefined, "SOPS needs a mapping at the top of every document");
    }
    root.items.unshift(...comments(doc.commentBefore));
    root.items.push(...comments(doc.comment));
    out.push(root);
  }
  return out;
}
