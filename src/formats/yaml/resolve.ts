/**
 * Plain-scalar typing exactly as go-yaml v3 (`resolve.go`) decodes into `interface{}`:
 * the first byte picks a family, then timestamps, Go `ParseInt(s, 0, 64)` on the text
 * without `_`, `ParseUint`, the YAML float pattern, and fixed words (`true`, `~`, `.inf`).
 * Surprising but faithful: `0777` is octal, `09` is the float 9, `1e400` stays a string.
 */
import type { ScalarValue } from "../../tree/types.js";
import { parseGoTimestamp } from "./timestamp.js";

/** Integers in (int64 max, uint64 max]: go-yaml yields uint64, which SOPS cannot store. */
export class UintOverflow {
  constructor(readonly text: string) {}
}

const WORDS: Record<string, ScalarValue> = {
  true: { type: "bool", value: true },
  True: { type: "bool", value: true },
  TRUE: { type: "bool", value: true },
  false: { type: "bool", value: false },
  False: { type: "bool", value: false },
  FALSE: { type: "bool", value: false },
  "": { type: "null" },
  "~": { type: "null" },
  null: { type: "null" },
  Null: { type: "null" },
  NULL: { type: "null" },
  ".nan": { type: "float", value: NaN },
  ".NaN": { type: "float", value: NaN },
  ".NAN": { type: "float", value: NaN },
  ".inf": { type: "float", value: Infinity },
  ".Inf": { type: "float", value: Infinity },
  ".INF": { type: "float", value: Infinity },
  "+.inf": { type: "float", value: Infinity },
  "+.Inf": { type: "float", value: Infinity },
  "+.INF": { type: "float", value: Infinity },
  "-.inf": { type: "float", value: -Infinity },
  "-.Inf": { type: "float", value: -Infinity },
  "-.INF": { type: "float", value: -Infinity },
};

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_DECIMAL_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+\.?[0-9]*)([eE][-+]?[0-9]+)?$/;

/** Go `strconv.ParseInt/ParseUint(s, 0, 64)` digits: returns the magnitude-signed bigint or undefined. */
function goParseIntBase0(s: string): bigint | undefined {
  let i = 0;
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    i = 1;
  }
  let body = s.slice(i);
  let re = /^[0-9]+$/;
  let prefix = "";
  if (body.length > 1 && body[0] === "0") {
    const p = body[1]!.toLowerCase();
    if (p === "x") [prefix, re, body] = ["0x", /^[0-9a-fA-F]+$/, body.slice(2)];
    else if (p === "o") [prefix, re, body] = ["0o", /^[0-7]+$/, body.slice(2)];
    else if (p === "b") [prefix, re, body] = ["0b", /^[01]+$/, body.slice(2)];
    else [prefix, re, body] = ["0o", /^[0-7]+$/, body.slice(1)];
  }
  if (!re.test(body)) return undefined;
  const magnitude = BigInt(prefix + body);
  return negative ? -magnitude : magnitude;
}

function parseFloatStrict(s: string): number | undefined {
  if (!GO_DECIMAL_FLOAT.test(s)) return undefined;
  const v = Number(s);
  // Go's ParseFloat reports out-of-range values as errors; go-yaml then keeps a string.
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Resolve an untagged plain scalar. Returns a `ScalarValue`, or `UintOverflow` for
 * integers only uint64 can hold (the caller turns that into a positioned error).
 */
/**
 * `WORDS[text]` without a keyed lookup: a property lookup by a freshly sliced string
 * hashes it, where comparing against constant strings (length first) is cheap.
 */
function wordOf(text: string): ScalarValue | undefined {
  switch (text) {
    case "true":
    case "True":
    case "TRUE":
      return WORDS.true;
    case "false":
    case "False":
    case "FALSE":
      return WORDS.false;
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return WORDS.null;
    case ".nan":
    case ".NaN":
    case ".NAN":
      return WORDS[".nan"];
    case ".inf":
    case ".Inf":
    case ".INF":
    case "+.inf":
    case "+.Inf":
    case "+.INF":
      return WORDS[".inf"];
    case "-.inf":
    case "-.Inf":
    case "-.INF":
      return WORDS["-.inf"];
    default:
      return undefined;
  }
}

/** First characters of the fixed words (go-yaml's 'M' hint set plus `.`, `+`, `-`). */
const WORD_FIRST = new Set("tTfFnN~.+-".split("").map((ch) => ch.charCodeAt(0)));

export function resolvePlain(text: string): ScalarValue | UintOverflow {
  const c = text.charCodeAt(0);
  // Only look words up when one could match: a property lookup would intern every value.
  if (text.length === 0) return WORDS[""]!;
  if (text.length <= 6 && WORD_FIRST.has(c)) {
    const word = wordOf(text);
    if (word) return word;
  }
  if (c === 0x2e /* . */) {
    const f = parseFloatStrict(text);
    return f === undefined ? { type: "str", value: text } : { type: "float", value: f };
  }
  const isDigit = c >= 0x30 && c <= 0x39;
  if (!isDigit && c !== 0x2b && c !== 0x2d) return { type: "str", value: text };
  if (isDigit && text.length >= 5 && text[4] === "-") {
    const t = parseGoTimestamp(text);
    if (t !== undefined) return { type: "time", value: t };
  }
  const plain = text.includes("_") ? text.replaceAll("_", "") : text;
  const int = goParseIntBase0(plain);
  if (int !== undefined) {
    if (int >= INT64_MIN && int <= INT64_MAX) return { type: "int", value: int };
    // ParseUint accepts no sign, so only unsigned text reaches uint64.
    if (int > 0n && int <= UINT64_MAX && plain[0] !== "+") return new UintOverflow(text);
  }
  if (YAML_FLOAT.test(plain)) {
    const f = parseFloatStrict(plain);
    if (f !== undefined) return { type: "float", value: f };
  }
  return { type: "str", value: text };
}

/** True when a string written plain would be read back as something other than that string. */
export function resolvesToNonString(text: string): boolean {
  // Most strings start with a letter that begins no number and no fixed word (or are
  // too long for one): `resolvePlain` would only wrap them as a string.
  const c = text.charCodeAt(0);
  const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
  if (text.length > 0 && !numeric && (text.length > 6 || !WORD_FIRST.has(c))) return false;
  const r = resolvePlain(text);
  return r instanceof UintOverflow || r.type !== "str";
}
