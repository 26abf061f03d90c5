/**
 * The final pass of a parse: every container's item list is copied (the identity
 * snapshot the patch emitter compares against) and its end extended over the comments
 * placed in it. Item spans are derived only when the emitter needs them (`itemSpans`),
 * so a big file keeps no span array per container.
 */
import { FormatError } from "../../errors.js";
import type { Node } from "../../tree/types.js";
import type { ContainerSrc, Span } from "./src-types.js";

/** Span of the item at `index` of `src.items`; `dash` counts the non-comment items before it. */
function spanAt(src: ContainerSrc, index: number, dash: number): Span | undefined {
  const item = src.items[index]!;
  if (item.kind === "comment" || item.kind === "entry") return item.src as Span | undefined;
  const d = src.dashes;
  if (d !== undefined) return d.length > 2 * dash + 1 ? { start: d[2 * dash]!, end: d[2 * dash + 1]! } : undefined;
  return item.src as Span | undefined;
}

/** The source span of every item of `src.items` (cached on the src). */
export function itemSpans(src: ContainerSrc): readonly Span[] {
  if (src.spans !== undefined) return src.spans;
  const spans: Span[] = [];
  let dash = 0;
  for (let i = 0; i < src.items.length; i++) {
    const span = spanAt(src, i, dash);
    if (src.items[i]!.kind !== "comment") dash++;
    if (!span) throw new FormatError("internal: YAML item without a source span");
    spans.push(span);
  }
  src.spans = spans;
  return spans;
}

/** Record each container's items, now that comments are all placed. */
export function snapshot(node: Node): void {
  if (node.kind === "leaf") return;
  const src = node.src as ContainerSrc | undefined;
  if (!src) return;
  const items = node.items;
  src.items = items.slice();
  let end = src.end;
  let dash = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "entry") snapshot(item.value);
    else if (item.kind !== "comment") snapshot(item);
    const span = spanAt(src, i, dash);
    if (item.kind !== "comment") dash++;
    if (!span) throw new FormatError("internal: YAML item without a source span");
    if (!src.flow && span.end > end) end = span.end;
  }
  src.end = end;
}
