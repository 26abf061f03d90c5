/**
 * A hand-written JSON parser producing the sobre tree with layout hints (see
 * layout.ts). It follows SOPS 3.13.2 semantics: top level must be an object, duplicate
 * keys are kept in order, integers that fit int64 are `int` (exact bigint), every other
 * number is `float`, invalid surrogate escapes become U+FFFD as in Go.
 */
import { FormatError } from "../../errors.js";
import type { Leaf, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { MAX_NESTING, nestingError } from "../../tree/nesting.js";
import { JsonContainerSrc, JsonLeafSrc, LayoutShare } from "./layout.js";
import { numberEnd, numberValue } from "./number.js";
import { decodeEscapedString, type FailAt } from "./string-escapes.js";
import { positionOf } from "../position.js";
import type { EncRanges } from "../../tree/enc-ranges.js";
import { MAX_SHARED_INDENT, detach, newlineIndent, onlySpaces } from "./text-share.js";

/**
 * A run of string characters that need no escape and that Go's encoder writes back
 * unchanged: not `"`, `\`, controls, HTML `<>&`, U+2028/9 or surrogates.
 */
const PLAIN_RUN = /[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*/y;

/** A string value opening with the ENC prefix (`looksEncrypted`'s, and then `data:`). */
export const ENC_VALUE_START = '"ENC[AES256_GCM,data:';

class Parser {
  pos = 0;
  depth = 0;
  /** Set by `string()`: the last string's raw text is exactly what `quoteJsonString` writes. */
  canonicalString = false;
  /** Keys read so far: a repeated key is stored once (see `key()`). */
  readonly keys = new Map<string, string>();
  /** Whitespace runs other than newline + spaces, stored once. */
  readonly runs = new Map<string, string>();
  /** Inside the top-level `sops` entry: its strings outlive the tree (metadata), so they are copied. */
  inMetadata = false;
  /** Layout hints shared between entries and containers laid out alike. */
  readonly share = new LayoutShare();
  readonly failAt: FailAt = (message, at, hint) => this.fail(message, at, hint);
  constructor(
    readonly s: string,
    readonly file: string,
    /** Decrypt path, ASCII input (character offsets are byte offsets): ENC values stay ranges. */
    readonly ranges?: EncRanges,
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
    // Other runs (CRLF, tabs) recur too: one own copy each.
    const run = s.slice(start, p);
    let known = this.runs.get(run);
    if (known === undefined) this.runs.set((known = detach(run)), known);
    return known;
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
      if (this.ranges && !this.inMetadata && this.s.startsWith(ENC_VALUE_START, start)) {
        // Canonical (no escape, written back as read): a range, no string at all.
        PLAIN_RUN.lastIndex = start + 1;
        PLAIN_RUN.test(this.s);
        const end = PLAIN_RUN.lastIndex;
        if (this.s.charCodeAt(end) === 34) {
          this.pos = end + 1;
          return this.ranges.add(start + 1, end);
        }
      }
      const text = this.string();
      value = { type: "str", value: this.inMetadata ? detach(text) : text };
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
    const raw = this.s.slice(start, this.pos);
    return { kind: "leaf", value, src: new JsonLeafSrc(this.inMetadata ? detach(raw) : raw, value) } satisfies Leaf;
  }

  /** An object key, stored once per distinct key, never as a view into the input. */
  key(): string {
    const key = this.string();
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    const own = detach(key);
    this.keys.set(own, own);
    return own;
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
      const key = this.key();
      // Kept only when the emitter would not write the key back this way.
      const keyRaw = this.canonicalString ? undefined : { key, raw: s.slice(keyStart, this.pos) };
      const midStart = this.pos;
      this.ws();
      if (s.charCodeAt(this.pos) !== 58) this.fail(`unexpected ${this.describe(this.pos)}, expected ':' after object key`);
      this.pos++;
      this.ws();
      const mid = this.pos - midStart === 2 && s.charCodeAt(midStart) === 58 && s.charCodeAt(midStart + 1) === 32 ? ": " : s.slice(midStart, this.pos);
      this.inMetadata = this.inMetadata || (this.depth === 1 && key === "sops");
      const value = this.value();
      if (this.depth === 1) this.inMetadata = false;
      const after = this.ws();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: this.share.entry(this.depth, lead, mid, after, keyRaw) });
        lead = this.ws();
      } else if (c === 125) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: this.share.entry(this.depth, lead, mid, undefined, keyRaw) });
        // The root's hint is its own: parseJsonText sets fields on it.
        const src = this.depth < 2 ? new JsonContainerSrc(after) : this.share.map(this.depth, after);
        // A copy without the spare capacity `push` left (most maps are small).
        return { kind: "map", items: items.slice(), src };
      } else this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or '}' in object`);
    }
  }

  array(): SeqNode {
    const s = this.s;
    this.pos++; // [
    const items: Node[] = [];
    // Per-item leads and afters only once an item differs from the first lead / has space before `,`.
    let leads: string[] | undefined;
    let afters: string[] | undefined;
    let lead = this.ws();
    const first = lead;
    if (s.charCodeAt(this.pos) === 93) {
      this.pos++;
      return { kind: "seq", items, src: new JsonContainerSrc(lead, [], [], [], true) };
    }
    for (;;) {
      if (!leads && lead !== first) {
        leads = new Array<string>(items.length).fill(first);
        afters = new Array<string>(items.length).fill("");
      }
      leads?.push(lead);
      items.push(this.value());
      const after = this.ws();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        if (!leads && after !== "") {
          leads = new Array<string>(items.length).fill(first);
          afters = new Array<string>(items.length - 1).fill("");
        }
        afters?.push(after);
        lead = this.ws();
      } else if (c === 93) {
        this.pos++;
        const list = items.slice();
        if (leads) {
          afters!.push("");
          return { kind: "seq", items: list, src: new JsonContainerSrc(after, items, leads, afters) };
        }
        return { kind: "seq", items: list, src: this.share.seq(this.depth, after, first) };
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
      this.canonicalString = true;
      return s.slice(start, p);
    }
    let canonical = true;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
          this.canonicalString = canonical;
        return s.slice(start, p);
      }
      if (c === 92 || c < 32 || Number.isNaN(c)) break;
      // Characters Go's encoder escapes (HTML, U+2028/9) or replaces (surrogates).
      if (c === 60 || c === 62 || c === 38 || (c >= 0x2028 && (c <= 0x2029 || (c >= 0xd800 && c < 0xe000)))) canonical = false;
      p++;
    }
    this.canonicalString = false;
    return this.slowString(start, p);
  }

  slowString(start: number, from: number): string {
    const { value, end } = decodeEscapedString(this.s, start, from, this.failAt);
    this.pos = end;
    return value;
  }

  number(): ScalarValue {
    const start = this.pos;
    this.pos = numberEnd(this.s, start, this.failAt);
    return numberValue(this.s.slice(start, this.pos), start, this.failAt);
  }

}

/**
 * Parse a whole JSON document (already decoded) into a MapNode with layout hints.
 * `ranges`: the decrypt path's table of ENC values left in `ranges.source`, which must be
 * the ASCII bytes of `text` (so offsets agree).
 */
export function parseJsonText(text: string, file: string, ranges?: EncRanges): MapNode {
  const bom = text.charCodeAt(0) === 0xfeff;
  const p = new Parser(text, file, ranges);
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
