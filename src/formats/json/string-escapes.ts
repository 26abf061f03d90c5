/**
 * The slow path of JSON string scanning: escapes, surrogate pairs (a lone surrogate
 * decodes to U+FFFD as Go's encoding/json does), and the errors for control characters,
 * bad escapes and unterminated strings. The parser's fast path handles the usual
 * escape-free string and hands over at the first backslash or control character.
 */

/** Reports a parse error at an offset; never returns. */
export type FailAt = (message: string, at: number, hint?: string) => never;

/**
 * Decode the string whose content starts at `start` (just after the opening quote);
 * `from` is where the fast scan stopped. Returns the value and the offset just after
 * the closing quote.
 */
export function decodeEscapedString(s: string, start: number, from: number, fail: FailAt): { value: string; end: number } {
  let out = s.slice(start, from);
  let p = from;
  for (;;) {
    if (p >= s.length) fail("unterminated string", start - 1, "close the string with '\"'");
    const c = s.charCodeAt(p);
    if (c === 34) return { value: out, end: p + 1 };
    if (c < 32) fail("control character in string (must be escaped)", p);
    if (c !== 92) {
      const q = p;
      while (p < s.length) {
        const d = s.charCodeAt(p);
        if (d === 34 || d === 92 || d < 32) break;
        p++;
      }
      out += s.slice(q, p);
      continue;
    }
    const e = s.charCodeAt(p + 1);
    p += 2;
    switch (e) {
      case 34: out += '"'; break;
      case 92: out += "\\"; break;
      case 47: out += "/"; break;
      case 98: out += "\b"; break;
      case 102: out += "\f"; break;
      case 110: out += "\n"; break;
      case 114: out += "\r"; break;
      case 116: out += "\t"; break;
      case 117: {
        const unit = hex4(s, p, fail);
        p += 4;
        if (unit >= 0xd800 && unit < 0xdc00) {
          // A high surrogate needs a following \u low surrogate; Go decodes a lone one as U+FFFD.
          if (s.charCodeAt(p) === 92 && s.charCodeAt(p + 1) === 117) {
            const low = hex4(s, p + 2, fail);
            if (low >= 0xdc00 && low < 0xe000) {
              out += String.fromCharCode(unit, low);
              p += 6;
              break;
            }
          }
          out += "\ufffd";
        } else if (unit >= 0xdc00 && unit < 0xe000) out += "\ufffd";
        else out += String.fromCharCode(unit);
        break;
      }
      default:
        fail(`invalid escape '\\${s[p - 1] ?? ""}' in string`, p - 2);
    }
  }
}

function hex4(s: string, at: number, fail: FailAt): number {
  const text = s.slice(at, at + 4);
  if (!/^[0-9a-fA-F]{4}$/.test(text)) fail("invalid \\u escape in string (need 4 hex digits)", at - 2);
  return parseInt(text, 16);
}
