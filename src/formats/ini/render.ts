/**
 * go-ini (gopkg.in/ini.v1) writing rules as SOPS uses them: key and value quoting,
 * `=` alignment, comment lines. Lengths are UTF-8 byte lengths, as in Go.
 */
const DELIMITERS = /[=:]/;
const utf8 = new TextEncoder();

/** UTF-8 byte length (go-ini aligns by `len(string)`). */
export function byteLength(s: string): number {
  return utf8.encode(s).length;
}

/** A key as go-ini writes it: backticks around `"`, `=` or `:`, triple quotes around a backtick. */
export function quoteKey(key: string): string {
  if (key.includes('"') || DELIMITERS.test(key)) return "`" + key + "`";
  if (key.includes("`")) return '"""' + key + '"""';
  return key;
}

/** The width go-ini reserves for a key when aligning `=` (quoting included). */
export function keyWidth(key: string): number {
  return byteLength(quoteKey(key));
}

/** A value as go-ini writes it: `"""` for newlines/backticks, backticks for `#`/`;`, `"` for edge spaces. */
export function quoteValue(value: string): string {
  if (value.includes("\n") || value.includes("`")) return '"""' + value + '"""';
  if (value.includes("#") || value.includes(";")) return "`" + value + "`";
  if (value.trim() !== value) return '"' + value + '"';
  return value;
}

/**
 * Comment lines as go-ini writes a key's (`section` false) or a section's comment:
 * lines already starting with `#`/`;` get one space after the marker, others `; `.
 */
export function commentLines(text: string, section: boolean): string[] {
  return text.split("\n").map((line) => {
    if (line === "") return ";";
    if (line[0] === "#" || line[0] === ";") return line[0] + " " + line.slice(1).trim();
    return "; " + (section ? line : line.trim());
  });
}

/** `key<pad> = value` lines for a fresh section, aligned like go-ini's PrettyFormat. */
export function alignedLines(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const width = pairs.reduce((w, [k]) => Math.max(w, keyWidth(k)), 0);
  return pairs.map(([k, v]) => {
    const name = quoteKey(k);
    return name + " ".repeat(width - byteLength(name)) + " = " + quoteValue(v);
  });
}
