/**
 * Text of a scalar in a given style, as go-yaml v3 writes it (no line folding: SOPS
 * uses unlimited width). Block scalars return header and body lines separately so the
 * caller can indent them.
 */
import type { ScalarValue } from "../../tree/types.js";
import { formatFloatG } from "../../tree/float-format.js";
import { isBreakCp, isPrintable } from "./scalar-style.js";

const NAMED: Record<number, string> = {
  0x00: "0",
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x1b: "e",
  0x22: '"',
  0x5c: "\\",
  0x85: "N",
  0xa0: "_",
  0x2028: "L",
  0x2029: "P",
};

export function renderDouble(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff || isBreakCp(cp) || cp === 0x22 || cp === 0x5c) {
      const named = NAMED[cp];
      if (named !== undefined) out += "\\" + named;
      else if (cp <= 0xff) out += "\\x" + cp.toString(16).toUpperCase().padStart(2, "0");
      else if (cp <= 0xffff) out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
      else out += "\\U" + cp.toString(16).toUpperCase().padStart(8, "0");
    } else out += ch;
  }
  return out + '"';
}

/**
 * Double-quoted with only the escapes YAML needs (quote, backslash, control and
 * line-break characters); other characters stay raw. Used when re-rendering a value
 * that was double-quoted in the source, to keep the text readable.
 */
export function renderDoubleMinimal(s: string): string {
  if (!needsMinimalEscape(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f || cp === 0x22 || cp === 0x5c || cp === 0x85 || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) {
      out += renderDouble(ch).slice(1, -1);
    } else out += ch;
  }
  return out + '"';
}

/** Whether any UTF-16 unit of `s` needs an escape in `renderDoubleMinimal` (none are surrogates). */
export function needsMinimalEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const cp = s.charCodeAt(i);
    if (cp < 0x20 || cp === 0x7f || cp === 0x22 || cp === 0x5c || cp === 0x85 || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return true;
  }
  return false;
}

export function renderSingle(s: string): string {
  return "'" + s.replaceAll("'", "''") + "'";
}

/** Block scalar header (`|`, `|-`, `|+`, with an indentation digit when needed). */
export function blockHeader(s: string, indicator: "|" | ">", indentDigit: number): string {
  let h = indicator;
  const first = s.codePointAt(0);
  if (first === 0x20 || (first !== undefined && isBreakCp(first))) h += String(indentDigit);
  if (s.length === 0 || !s.endsWith("\n")) h += "-";
  else if (s.length === 1 || s.endsWith("\n\n")) h += "+";
  return h;
}

/** Body lines of a literal block scalar (without indentation); empty lines stay empty. */
export function literalLines(s: string): string[] {
  const lines = s.split("\n");
  if (s.endsWith("\n")) lines.pop();
  return lines;
}

/** go-yaml's plain text of a non-string scalar. */
export function renderNonString(v: ScalarValue): string {
  switch (v.type) {
    case "int":
      return v.value.toString();
    case "float": {
      if (Number.isNaN(v.value)) return ".nan";
      if (v.value === Infinity) return ".inf";
      if (v.value === -Infinity) return "-.inf";
      // Go's shortest %g is positional for decimal exponents -4..5, where JavaScript's
      // String() is positional too with the same shortest round-trip digits; skip the
      // digit-string work for these (every float of a decrypted file). Zero keeps Go's
      // sign (`-0`), so it takes the general path.
      const a = Math.abs(v.value);
      if (a >= 1e-4 && a < 1e6) return String(v.value);
      return formatFloatG(v.value);
    }
    case "bool":
      return v.value ? "true" : "false";
    case "null":
      return "null";
    case "time":
    case "datetime_local":
    case "date_local":
    case "time_local":
      return v.value;
    default:
      throw new Error(`not a non-string scalar: ${v.type}`);
  }
}
