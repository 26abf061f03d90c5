import { FormatError, type SourcePosition } from "../errors.js";
import type { MapNode, Node } from "./types.js";

/**
 * The deepest nesting sobre accepts. Parsers, the walker and the emitters recurse once
 * per level; a hostile 10,000-deep `[[[…` would otherwise overflow the JS stack with a
 * RangeError. Real configuration files stay far below this; Go's encoding/json stops at
 * 10,000, which Go's growable stacks can afford and Node's fixed one cannot.
 */
export const MAX_NESTING = 1000;

/** Message and hint of the error, for parsers that build FormatErrors their own way. */
export const NESTING_MESSAGE = `nesting deeper than ${MAX_NESTING} levels is not supported`;
export const NESTING_HINT = "flatten the structure; sobre refuses deeper nesting to stay within its stack";

/** The error for input nested deeper than {@link MAX_NESTING}. `where` is `file` or `file:line:col`. */
export function nestingError(where: string, position?: SourcePosition): FormatError {
  return new FormatError(`${where}: ${NESTING_MESSAGE}`, {
    hint: NESTING_HINT,
    ...(position ? { position } : {}),
  });
}

/**
 * Check a parsed tree iteratively (no recursion, so any depth is safe to measure) for
 * structures that parsers build without recursing, e.g. TOML's `a.b.c… = 1`.
 */
export function assertNesting(documents: readonly MapNode[], file: string): void {
  const stack: { node: Node; depth: number }[] = documents.map((node) => ({ node, depth: 1 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_NESTING) throw nestingError(file);
    if (node.kind === "map") {
      for (const item of node.items) if (item.kind === "entry" && item.value.kind !== "leaf") stack.push({ node: item.value, depth: depth + 1 });
    } else if (node.kind === "seq") {
      for (const item of node.items) if (item.kind !== "comment" && item.kind !== "leaf") stack.push({ node: item, depth: depth + 1 });
    }
  }
}
