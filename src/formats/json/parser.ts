/**
 * A hand-written JSON parser producing the sobre tree with layout hints (see
 * layout.ts). It follows SOPS 3.13.2 semantics: top level must be an object, duplicate
 * keys are kept in order, integers that fit int64 are `int` (exact bigint), every other
 * number is `float`, invalid surrogate escapes become U+FFFD as in Go.
 */
import { FormatError } from "../../errors.js";
import type { Leaf, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { MAX_NESTING, nestingError } from "../../tree/nesting.js";
import { JsonContainerSrc, JsonEntrySrc, JsonLeafSrc } from "./layout.js";
import { decodeEscapedString } from "./string-escapes.js";
import { positionOf } from "../position.js";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** `"\n"` followed by n spaces (n < 64), filled on first use, shared by every entry indented that way. */
const NEWLINE_INDENTS: string[] = [];
const MAX_SHARED_INDENT = 64;

function newlineIndent(n: number): string {
  return (NEWLINE_INDENTS[n] ??= "\n" + " ".repeat(n));
}

function onlySpaces(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

/**
 * A run of string characters that need no escape and that Go's encoder writes back
 * unchanged: not `"`, `\`, controls, HTML `<>&`, U+2028/9 or surrogates.
 */
const PLAIN_RUN = /[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*/y;

class Parser {
  pos = 0;
  depth = 0;
  /** Set by `string()`: the last string had no escapes (its raw text is `"` + value + `"`). */
  escapeFree = false;
  /** Set by `string()`: the last string's raw text is exactly what `quoteJsonString` writes. */
  canonicalString = false;
  constructor(
    readonly s: string,
    readonly file: string,
  ) {}

  fail(message: string, at = this.pos, hint?: string): never {
    const position = positionOf(this.s, at);
    throw new FormatError(`${this.file}:${position.line}:${position.column}: ${message}`, {
      position,
      hint: hint ?? "fix the JSON syntax at that position",
    });
  }

  describe(at: number): string {
    if (at >= this.s.length) return "end of input";
    return `character ${JSON.stringify(this.s[at])}`;
  }

  ws(): string {
    const s = this.s;
    const start = this.pos;
    let p = start;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
    if (p === start) return "";
    // The usual "\n" + indentation is shared, not sliced: one string per entry would
    // otherwise live as long as the tree (old-generation garbage at 100k values).
    const n = p - start - 1;
    if (n < MAX_SHARED_INDENT && s.charCodeAt(start) === 10 && onlySpaces(s, start + 1, p)) return newlineIndent(n);
    return s.slice(start, p);
  }

  value(): Node {
    const c = this.s.charCodeAt(this.pos);
    if (c === 123 || c === 91) {
      // Bounded recursion: a hostile `[[[[…` must not overflow the stack.
      if (++this.depth > MAX_NESTING) {
        const at = positionOf(this.s, this.pos);
        throw nestingError(`${this.file}:${at.line}:${at.column}`, at);
      }
      const node = c === 123 ? this.object() : this.array();
      this.depth--;
      return node;
    }
    const start = this.pos;
    let value: ScalarValue;
    // Values Go would write back exactly as read need no layout hint (the emitter renders
    // them identically): most strings, including every ENC[…] value, ints, bools, null.
    if (c === 34) {
      value = { type: "str", value: this.string() };
      if (this.canonicalString) return { kind: "leaf", value };
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      value = this.number();
      // Integers render back as written, except "-0" (an int 0).
      if (value.type === "int" && !(this.pos - start === 2 && this.s.charCodeAt(start) === 45)) return { kind: "leaf", value };
    } else if (this.s.startsWith("true", start)) {
      this.pos += 4;
      return { kind: "leaf", value: { type: "bool", value: true } };
    } else if (this.s.startsWith("false", start)) {
      this.pos += 5;
      return { kind: "leaf", value: { type: "bool", value: false } };
    } else if (this.s.startsWith("null", start)) {
      this.pos += 4;
      return { kind: "leaf", value: { type: "null" } };
    } else this.fail(`unexpected ${this.describe(start)}, expected a value`);
    const leaf: Leaf = { kind: "leaf", value, src: new JsonLeafSrc(this.s.slice(start, this.pos), value) };
    return leaf;
  }

  object(): MapNode {
    const s = this.s;
    this.pos++; // {
    const items: MapEntry[] = [];
    let lead = this.ws();
    if (s.charCodeAt(this.pos) === 125) {
      this.pos++;
      return { kind: "map", items, src: new JsonContainerSrc(lead, [], [], [], true) };
    }
    for (;;) {
      if (s.charCodeAt(this.pos) !== 34) this.fail(`unexpected ${this.describe(this.pos)}, expected a string key`);
      const keyStart = this.pos;
      const key = this.string();
      // Unset when the key is spelled as `"` + key + `"` (the emitter rebuilds it).
      const keyRaw = this.escapeFree ? undefined : s.slice(keyStart, this.pos);
      const midStart = this.pos;
      this.ws();
      if (s.charCodeAt(this.pos) !== 58) this.fail(`unexpected ${this.describe(this.pos)}, expected ':' after object key`);
      this.pos++;
      this.ws();
      const mid = this.pos - midStart === 2 && s.charCodeAt(midStart) === 58 && s.charCodeAt(midStart + 1) === 32 ? ": " : s.slice(midStart, this.pos);
      const value = this.value();
      const after = this.ws();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: new JsonEntrySrc(lead, key, keyRaw, mid, after) });
        lead = this.ws();
      } else if (c === 125) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: new JsonEntrySrc(lead, key, keyRaw, mid, undefined) });
        return { kind: "map", items, src: new JsonContainerSrc(after) };
      } else this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or '}' in object`);
    }
  }

  array(): SeqNode {
    const s = this.s;
    this.pos++; // [
    const items: Node[] = [];
    const leads: string[] = [];
    const afters: string[] = [];
    let lead = this.ws();
    if (s.charCodeAt(this.pos) === 93) {
      this.pos++;
      return { kind: "seq", items, src: new JsonContainerSrc(lead, [], [], [], true) };
    }
    for (;;) {
      leads.push(lead);
      items.push(this.value());
      const after = this.ws();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        afters.push(after);
        lead = this.ws();
      } else if (c === 93) {
        this.pos++;
        afters.push("");
        return { kind: "seq", items, src: new JsonContainerSrc(after, items.slice(), leads, afters) };
      } else this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or ']' in array`);
    }
  }

  string(): string {
    const s = this.s;
    const start = this.pos + 1;
    // One native scan over the usual string (no escapes, nothing Go writes differently);
    // the loop below takes over from the first character that needs a closer look.
    PLAIN_RUN.lastIndex = start;
    PLAIN_RUN.test(s);
    let p = PLAIN_RUN.lastIndex;
    if (s.charCodeAt(p) === 34) {
      this.pos = p + 1;
      this.escapeFree = true;
      this.canonicalString = true;
      return s.slice(start, p);
    }
    let canonical = true;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        this.escapeFree = true;
        this.canonicalString = canonical;
        return s.slice(start, p);
      }
      if (c === 92 || c < 32 || Number.isNaN(c)) break;
      // Characters Go's encoder escapes (HTML, U+2028/9) or replaces (surrogates).
      if (c === 60 || c === 62 || c === 38 || (c >= 0x2028 && (c <= 0x2029 || (c >= 0xd800 && c < 0xe000)))) canonical = false;
      p++;
    }
    this.escapeFree = false;
    this.canonicalString = false;
    return this.slowString(start, p);
  }

  slowString(start: number, from: number): string {
    const { value, end } = decodeEscapedString(this.s, start, from, (message, at, hint) => this.fail(message, at, hint));
    this.pos = end;
    return value;
  }

  number(): ScalarValue {
    const s = this.s;
    const start = this.pos;
    let p = start;
    if (s.charCodeAt(p) === 45) p++;
    const intStart = p;
    let c = s.charCodeAt(p);
    if (c === 48) p++;
    else if (c >= 49 && c <= 57) {
      do p++;
      while ((c = s.charCodeAt(p)) >= 48 && c <= 57);
    } else this.fail("invalid number (expected a digit)", p);
    const intEnd = p;
    let isInt = true;
    if (s.charCodeAt(p) === 46) {
      isInt = false;
      p++;
      if (!((c = s.charCodeAt(p)) >= 48 && c <= 57)) this.fail("invalid number (expected a digit after '.')", p);
      while ((c = s.charCodeAt(p)) >= 48 && c <= 57) p++;
    }
    c = s.charCodeAt(p);
    if (c === 101 || c === 69) {
      isInt = false;
      p++;
      c = s.charCodeAt(p);
      if (c === 43 || c === 45) p++;
      if (!((c = s.charCodeAt(p)) >= 48 && c <= 57)) this.fail("invalid number (expected a digit in the exponent)", p);
      while ((c = s.charCodeAt(p)) >= 48 && c <= 57) p++;
    }
    this.pos = p;
    const raw = s.slice(start, p);
    if (isInt) {
      if (intEnd - intStart <= 15) return { type: "int", value: BigInt(Number(raw)) };
      const big = BigInt(raw);
      if (big >= INT64_MIN && big <= INT64_MAX) return { type: "int", value: big };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      this.fail(`number ${raw} is out of range for a 64-bit float`, start, "SOPS cannot store it either; quote it as a string");
    }
    return { type: "float", value };
  }
}

/** Parse a whole JSON document (already decoded) into a MapNode with layout hints. */
export function parseJsonText(text: string, file: string): MapNode {
  const bom = text.charCodeAt(0) === 0xfeff;
  const p = new Parser(text, file);
  if (bom) p.pos = 1;
  // The root counts as level 1, so the parser refuses exactly what `assertNesting` would
  // (the registry skips that walk for JSON).
  p.depth = 1;
  const docLead = p.ws();
  const c = text.charCodeAt(p.pos);
  if (c !== 123) {
    if (p.pos >= text.length) p.fail("empty input: expected a JSON object");
    p.fail(
      `top-level value must be an object, got ${c === 91 ? "an array" : "a scalar"}`,
      p.pos,
      'SOPS only stores JSON objects at the top level; wrap the value, e.g. {"data": [...]}',
    );
  }
  const root = p.object();
  const docTail = p.ws();
  if (p.pos < text.length) {
    p.fail(`unexpected ${p.describe(p.pos)} after the top-level object`, p.pos, "a JSON file holds exactly one object");
  }
  const layout = root.src as JsonContainerSrc;
  layout.bom = bom;
  layout.docLead = docLead;
  layout.docTail = docTail;
  return root;
}
