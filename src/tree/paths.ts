import { EXIT, SobreError } from "../errors.js";
import { MAX_NESTING } from "./nesting.js";
import type { MapNode, Node } from "./types.js";

/** One step of a SOPS tree path: a mapping key or a sequence index. */
export type PathSegment = string | number;

class PathError extends SobreError {
  constructor(message: string, hint: string) {
    super("path", message, EXIT.InvalidTreePathFormat, { hint });
  }
}

const PATH_HINT = `write paths like '["key"]["nested"][0]'`;

/** Parse SOPS's `["a"][0]["b"]` syntax (double or single quotes; indices are integers). */
export function parsePath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] !== "[") throw new PathError(`invalid tree path ${JSON.stringify(text)}: expected "[" at offset ${i}`, PATH_HINT);
    const q = s[i + 1];
    if (q === '"' || q === "'") {
      let j = i + 2;
      let key = "";
      while (j < s.length && s[j] !== q) {
        if (s[j] === "\\" && j + 1 < s.length) j++;
        key += s[j];
        j++;
      }
      if (s[j] !== q || s[j + 1] !== "]") throw new PathError(`invalid tree path ${JSON.stringify(text)}: unterminated key`, PATH_HINT);
      segments.push(key);
      i = j + 2;
    } else {
      const close = s.indexOf("]", i);
      const body = close < 0 ? "" : s.slice(i + 1, close);
      if (!/^\d+$/.test(body)) throw new PathError(`invalid tree path ${JSON.stringify(text)}: index must be a number or a quoted key`, PATH_HINT);
      segments.push(Number(body));
      i = close + 1;
    }
  }
  if (segments.length === 0) throw new PathError(`empty tree path`, PATH_HINT);
  // `set` creates every missing level: an absurdly long path would build a tree too deep to walk.
  if (segments.length > MAX_NESTING) throw new PathError(`tree path has ${segments.length} components; at most ${MAX_NESTING} are supported`, PATH_HINT);
  return segments;
}

/** Follow a path. Throws naming the first missing component. */
export function getPath(doc: MapNode, path: readonly PathSegment[]): Node {
  let node: Node = doc;
  for (const seg of path) {
    node = child(node, seg, path);
  }
  return node;
}

function child(node: Node, seg: PathSegment, path: readonly PathSegment[]): Node {
  if (typeof seg === "string") {
    if (node.kind !== "map") throw new PathError(`component ["${seg}"] of ${formatPath(path)} is a key, but the value there is not a mapping`, PATH_HINT);
    for (const item of node.items) if (item.kind === "entry" && item.key === seg) return item.value;
    throw new PathError(`component ["${seg}"] of ${formatPath(path)} not found`, "check the key names with `sobre decrypt`");
  }
  if (node.kind !== "seq") throw new PathError(`component [${seg}] of ${formatPath(path)} is an index, but the value there is not a list`, PATH_HINT);
  const items = node.items.filter((i) => i.kind !== "comment") as Node[];
  const found = items[seg];
  if (!found) throw new PathError(`component [${seg}] of ${formatPath(path)} is out of bounds`, `the list has ${items.length} items`);
  return found;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s) => (typeof s === "number" ? `[${s}]` : `[${JSON.stringify(s)}]`)).join("");
}
