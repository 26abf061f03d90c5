/** Small helpers for cutting text at line edges when patching YAML in place. */

/** Does the text end with a line break? */
export function endsWithBreak(text: string): boolean {
  const c = text[text.length - 1];
  return c === "\n" || c === "\r";
}

/** Start of the line break that ends the line before `lineStart`. */
export function trimBreakBack(text: string, lineStart: number): number {
  let i = lineStart;
  if (text[i - 1] === "\n") i--;
  if (text[i - 1] === "\r") i--;
  return i;
}

/** Back over spaces and tabs before `at`. */
export function trimBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i;
}
