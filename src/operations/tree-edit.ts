import { EXIT, ExitError, SobreError } from "../errors.js";
import { formatPath, type PathSegment } from "../tree/paths.js";
import { T, type Comment, type MapNode, type Node, type SeqNode } from "../tree/types.js";

const HINT = "check the path against the file's structure with `sobre decrypt`";

function mismatch(path: readonly PathSegment[], at: number, expected: string): SobreError {
  return new SobreError("path", `${formatPath(path.slice(0, at + 1))}: ${expected}`, EXIT.InvalidTreePathFormat, { hint: HINT });
}

/** SOPS's SopsKeyNotFound: the path to unset does not exist (exit 1). */
export class PathNotFoundError extends ExitError {
  constructor(path: readonly PathSegment[], at: number) {
    const seg = path[at]!;
    const what = typeof seg === "number" ? `index ${seg} out of bounds` : `key ${JSON.stringify(seg)} not found`;
    super(EXIT.ErrorGeneric, `${formatPath(path)}: ${what}`, { hint: HINT });
  }
}

/** The non-comment items of a sequence with their positions in `items`. */
function seqValues(seq: SeqNode): { node: Node; at: number }[] {
  const out: { node: Node; at: number }[] = [];
  seq.items.forEach((item, at) => {
    if (item.kind !== "comment") out.push({ node: item, at });
  });
  return out;
}

/** Deep equality of values, ignoring comments and layout. */
export function nodesEqual(a: Node, b: Node): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "leaf" && b.kind === "leaf") {
    if (a.value.type !== b.value.type) return false;
    if (a.value.type === "null") return true;
    const av = (a.value as { value: unknown }).value;
    const bv = (b.value as { value: unknown }).value;
    if (av instanceof Uint8Array && bv instanceof Uint8Array) return Buffer.from(av).equals(Buffer.from(bv));
    return Object.is(av, bv) || av === bv;
  }
  const ai = a.kind === "leaf" ? [] : (a.items.filter((i) => i.kind !== "comment") as (Node | Exclude<MapNode["items"][number], Comment>)[]);
  const bi = b.kind === "leaf" ? [] : (b.items.filter((i) => i.kind !== "comment") as typeof ai);
  if (ai.length !== bi.length) return false;
  return ai.every((x, i) => {
    const y = bi[i]!;
    if (x.kind === "entry" && y.kind === "entry") return x.key === y.key && nodesEqual(x.value, y.value);
    if (x.kind === "entry" || y.kind === "entry") return false;
    return nodesEqual(x, y);
  });
}

/** A fresh subtree holding `value` at `path` (SOPS's valueFromPathAndLeaf). */
function build(path: readonly PathSegment[], value: Node): Node {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return typeof head === "number" ? T.seq([build(rest, value)]) : T.map([T.entry(head!, build(rest, value))]);
}

/**
 * Replace the value at `node`'s position: a leaf replacing a leaf keeps the old node's
 * layout hints, so the formatter writes it where and how the old value was written.
 */
function replaced(old: Node, value: Node): Node {
  if (old.kind === "leaf" && value.kind === "leaf" && old.src !== undefined) return { ...value, src: old.src };
  return value;
}

/**
 * Set `value` at `path` in `doc` like SOPS's `Tree.Set`: missing keys are created (at
 * the end of their mapping), an index past the end appends. Returns whether anything
 * changed. A key where the tree has a list (or an index where it has a mapping) is
 * exit 91.
 */
export function setAtPath(doc: MapNode, path: readonly PathSegment[], value: Node): boolean {
  let node: Node = doc;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (typeof seg === "string") {
      if (node.kind !== "map") throw mismatch(path, i, "is a key, but the value there is not a mapping");
      const entry: MapNode["items"][number] | undefined = node.items.find((e) => e.kind === "entry" && e.key === seg);
      if (!entry || entry.kind !== "entry") {
        node.items.push(T.entry(seg, build(path.slice(i + 1), value)));
        return true;
      }
      if (last) {
        const changed = !nodesEqual(entry.value, value);
        entry.value = replaced(entry.value, value);
        return changed;
      }
      if (entry.value.kind === "leaf") {
        entry.value = build(path.slice(i + 1), value);
        return true;
      }
      node = entry.value;
    } else {
      if (node.kind !== "seq") throw mismatch(path, i, "is an index, but the value there is not a list");
      const values = seqValues(node);
      const found = values[seg];
      if (!found) {
        node.items.push(build(path.slice(i + 1), value));
        return true;
      }
      if (last) {
        const changed = !nodesEqual(found.node, value);
        node.items[found.at] = replaced(found.node, value);
        return changed;
      }
      if (found.node.kind === "leaf") {
        node.items[found.at] = build(path.slice(i + 1), value);
        return true;
      }
      node = found.node;
    }
  }
  return false;
}

/**
 * Remove the key or list item at `path` (SOPS's `Tree.Unset`). A missing key or index is
 * SOPS's "key not found" (exit 1; `--idempotent` turns it into a no-op).
 */
export function unsetAtPath(doc: MapNode, path: readonly PathSegment[]): void {
  let node: Node = doc;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (typeof seg === "string") {
      if (node.kind !== "map") throw mismatch(path, i, "is a key, but the value there is not a mapping");
      const at = node.items.findIndex((e) => e.kind === "entry" && e.key === seg);
      if (at < 0) throw new PathNotFoundError(path, i);
      if (last) {
        node.items.splice(at, 1);
        return;
      }
      node = (node.items[at] as { value: Node }).value;
    } else {
      if (node.kind !== "seq") throw mismatch(path, i, "is an index, but the value there is not a list");
      const found: { node: Node; at: number } | undefined = seqValues(node)[seg];
      if (!found) throw new PathNotFoundError(path, i);
      if (last) {
        node.items.splice(found.at, 1);
        return;
      }
      node = found.node;
    }
  }
}
