/**
 * Turn a `path_regex` into `.gitattributes` patterns, for the common shapes only
 * (`\.enc\.yaml$`, `^secrets/.*\.ya?ml$`, `(dev|prod)/.*`). Returns undefined when the
 * regex uses anything a glob cannot express faithfully; the user then passes --pattern.
 */
export function regexToGlobs(regex: string): string[] | undefined {
  const anchoredStart = regex.startsWith("^");
  const anchoredEnd = regex.endsWith("$") && !regex.endsWith("\\$");
  const body = regex.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined);
  const variants = expand(body);
  if (!variants) return undefined;
  const out: string[] = [];
  for (const tokens of variants) {
    const glob = toGlob(tokens, anchoredStart, anchoredEnd);
    if (glob === undefined) return undefined;
    if (!out.includes(glob)) out.push(glob);
  }
  return out;
}

type Token = { lit: string } | { any: true } | { cls: string };

/** Tokenise, expanding `(a|b)` and `x?` into alternatives (at most 32). */
function expand(src: string): Token[][] | undefined {
  let variants: Token[][] = [[]];
  let i = 0;
  const push = (alts: Token[][]): boolean => {
    const next: Token[][] = [];
    for (const v of variants) for (const a of alts) next.push([...v, ...a]);
    variants = next;
    return variants.length <= 32;
  };
  while (i < src.length) {
    const c = src[i]!;
    let atom: Token[][];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined || /[a-zA-Z0-9]/.test(n)) return undefined; // \d, \w, \b …
      atom = [[{ lit: n }]];
      i += 2;
    } else if (c === ".") {
      const q = src[i + 1];
      if (q !== "*" && q !== "+") return undefined; // a lone `.` is "any one char": too loose to guess
      atom = [[{ any: true }]];
      i += 2;
    } else if (c === "[") {
      const end = src.indexOf("]", i + 2);
      if (end < 0) return undefined;
      atom = [[{ cls: src.slice(i, end + 1) }]];
      i = end + 1;
    } else if (c === "(") {
      const end = matchingParen(src, i);
      if (end < 0) return undefined;
      const inner = src.slice(i + 1, end).replace(/^\?:/, "");
      const alts: Token[][] = [];
      for (const part of splitTop(inner)) {
        const sub = expand(part);
        if (!sub) return undefined;
        alts.push(...sub);
      }
      atom = alts;
      i = end + 1;
    } else if ("*+?{}|^$)".includes(c)) {
      return undefined;
    } else {
      atom = [[{ lit: c }]];
      i++;
    }
    if (src[i] === "?") {
      atom = [...atom, []];
      i++;
    }
    if (src[i] !== undefined && "*+{".includes(src[i]!)) return undefined;
    if (!push(atom)) return undefined;
  }
  return variants;
}

function matchingParen(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "(") depth++;
    else if (src[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

function splitTop(src: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "(") depth++;
    else if (src[i] === ")") depth--;
    else if (src[i] === "|" && depth === 0) {
      parts.push(src.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(src.slice(start));
  return parts;
}

function toGlob(tokens: Token[], anchoredStart: boolean, anchoredEnd: boolean): string | undefined {
  // A leading `.*` is the same as no start anchor.
  while (tokens[0] && "any" in tokens[0]) {
    tokens = tokens.slice(1);
    anchoredStart = false;
  }
  let s = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ("lit" in t) {
      if ("*?[]!\\ ".includes(t.lit)) return undefined;
      s += t.lit;
    } else if ("cls" in t) s += t.cls;
    else {
      // `.*` may cross directories: `dir/.*` → `dir/**`, `.*/x` → `**/x`, `dir/.*\.yaml` → `dir/**/*.yaml`.
      const before = s.endsWith("/") || s === "";
      const next = tokens[i + 1];
      const afterSlash = next !== undefined && "lit" in next && next.lit === "/";
      if (before && (afterSlash || next === undefined)) s += "**";
      else if (before) s += "**/*";
      else s += "*";
    }
  }
  if (!anchoredEnd && !s.endsWith("*")) s += s.endsWith("/") ? "**" : "*";
  const hasSlash = s.includes("/");
  if (anchoredStart) return hasSlash || s.startsWith("**") ? s : `/${s}`;
  if (s.startsWith("*")) return s;
  // Unanchored: a basename pattern matches at any depth by itself; a path pattern gets
  // `**/` (directory names matched whole: narrower than the regex, never wider).
  return hasSlash ? `**/${s}` : `*${s}`;
}
