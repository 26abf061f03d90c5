/**
 * Compile Go RE2 syntax to a JavaScript RegExp, rejecting what RE2 rejects
 * (look-around, back-references) instead of silently accepting a different language.
 * Returns an error string instead of throwing so callers can attach file/line context.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ", upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

export type Re2Result = { ok: true; regex: RegExp } | { ok: false; error: string };

export function compileRe2(pattern: string): Re2Result {
  let flags = "u";
  let source = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === "U") return { ok: false, error: "the (?U) flag is not supported" };
      if (!flags.includes(f)) flags += f;
    }
    source = source.slice(lead[0].length);
  }
  if (/\(\?[=!]|\(\?<[=!]/.test(source)) return { ok: false, error: "look-around assertions are not supported by RE2" };
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(source)) return { ok: false, error: "back-references are not supported by RE2" };
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (!cls) return whole;
      return neg ? `&&NEG${cls}&&` : cls;
    });
  if (source.includes("&&NEG")) return { ok: false, error: "negated POSIX classes are not supported" };
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (err) {
    // Unicode mode rejects identity escapes like `\-` that RE2 accepts; retry without it.
    try {
      return { ok: true, regex: new RegExp(source, flags.replace("u", "")) };
    } catch {
      return { ok: false, error: (err as Error).message.replace(/^Invalid regular expression: /, "") };
    }
  }
}
