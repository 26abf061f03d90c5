/**
 * Scalar rendering exactly as Go's encoding/json writes it (SOPS's JSON store): HTML
 * characters and U+2028/2029 escaped, short escapes for \b \f \n \r \t, floats in ES6
 * style. Used for values that changed and for fresh emission.
 */
import { FormatError } from "../../errors.js";
import type { ScalarValue } from "../../tree/types.js";

// Anything Go escapes, plus lone surrogates (invalid UTF-8 on Go's side → \ufffd).
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const HEX = "0123456789abcdef";

/** True when Go writes the string as `"` + s + `"`: nothing to escape or replace. */
export function isPlainJsonString(s: string): boolean {
  return !NEEDS_ESCAPE.test(s);
}

/** A JSON string literal as Go's `json.Marshal` writes it (HTML-safe). */
export function quoteJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      if (c === 8) rep = "\\b";
      else if (c === 12) rep = "\\f";
      else if (c === 10) rep = "\\n";
      else if (c === 13) rep = "\\r";
      else if (c === 9) rep = "\\t";
      else rep = "\\u00" + HEX[c >> 4]! + HEX[c & 15]!;
    } else if (c === 34) rep = '\\"';
    else if (c === 92) rep = "\\\\";
    else if (c === 60) rep = "\\u003c";
    else if (c === 62) rep = "\\u003e";
    else if (c === 38) rep = "\\u0026";
    else if (c === 0x2028) rep = "\\u2028";
    else if (c === 0x2029) rep = "\\u2029";
    else if (c >= 0xd800 && c < 0xdc00) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    } else if (c >= 0xdc00 && c < 0xe000) rep = "\\ufffd";
    if (rep === undefined) continue;
    out += s.slice(start, i) + rep;
    start = i + 1;
  }
  return out + s.slice(start, s.length) + '"';
}

/**
 * A float as Go's encoding/json writes it: `%f` for 1e-6 ≤ |x| < 1e21, else `%e` with
 * a minimal exponent (`1e+21`, `1e-7`). JavaScript's Number#toString uses the same
 * thresholds and layout, except that Go keeps the sign of negative zero.
 */
export function formatJsonFloat(value: number, file = ""): string {
  if (!Number.isFinite(value)) {
    throw new FormatError(`${file ? file + ": " : ""}JSON cannot represent the float ${String(value)}`, {
      hint: "use --output-type yaml, or store the value as a string",
    });
  }
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

/** Render one scalar as JSON text. */
export function renderJsonScalar(value: ScalarValue, file = ""): string {
  switch (value.type) {
    case "str":
      return quoteJsonString(value.value);
    case "bytes":
      // Go's encoder replaces invalid UTF-8 with U+FFFD; the lossy decoder does the same.
      return quoteJsonString(new TextDecoder().decode(value.value));
    case "int":
      return value.value.toString();
    case "float":
      return formatJsonFloat(value.value, file);
    case "bool":
      return value.value ? "true" : "false";
    case "null":
      return "null";
    default:
      // time and TOML local times: their text, quoted (Go marshals time.Time as an RFC 3339 string).
      return quoteJsonString(value.value);
  }
}
