/**
 * Strings the JSON parser keeps in the tree without pinning the decoded input: shared
 * indentation runs and detached copies.
 */

/** `"\n"` followed by n spaces (n < 64), filled on first use, shared by every entry indented that way. */
const NEWLINE_INDENTS: string[] = [];
export const MAX_SHARED_INDENT = 64;

export function newlineIndent(n: number): string {
  return (NEWLINE_INDENTS[n] ??= "\n" + " ".repeat(n));
}

/**
 * A string with its own storage. V8 makes a slice of 13+ characters a view into the
 * whole input, which would keep the input text alive as long as the slice.
 */
export function detach(text: string): string {
  return text.length >= 13 ? (" " + text).slice(1) : text;
}

export function onlySpaces(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}
