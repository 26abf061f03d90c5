/**
 * The decrypt path's JSON parser (ASCII input, ENC values kept as byte ranges): the same
 * grammar, tree, layout hints and error messages as parser.ts, read straight from the
 * input bytes. No string of the whole input ever exists: at 100k values it would be a
 * 15 MB external string that is garbage right after parsing but only freed by a
 * mark-compact, which usually comes after the peak. Kept texts (keys, other strings,
 * layout runs) are small Latin-1 slices with their own storage; the input text is
 * decoded only when an error is raised, for its line and column.
 *
 * Kept separate from parser.ts so that the plain path's string reads stay monomorphic.
 */
import { FormatError } from "../../errors.js";
import type { EncRanges } from "../../tree/enc-ranges.js";
import { MAX_NESTING, nestingError } from "../../tree/nesting.js";
import type { Leaf, MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../tree/types.js";
import { positionOf } from "../position.js";
import { JsonContainerSrc, JsonLeafSrc, LayoutShare } from "./layout.js";
import { numberEndBytes, numberValue } from "./number.js";
import { ENC_VALUE_START } from "./parser.js";
import { byteClasses, startsWithAscii } from "./ascii-bytes.js";
import { decodeEscapedString, type FailAt } from "./string-escapes.js";
import { MAX_SHARED_INDENT, newlineIndent } from "./text-share.js";

class BytesParser {
  pos = 0;
  depth = 0;
  canonicalString = false;
  readonly keys = new Map<string, string>();
  readonly runs = new Map<string, string>();
  inMetadata = false;
  readonly share = new LayoutShare();
  readonly classes = byteClasses();
  readonly buf: Buffer;
  readonly n: number;
  readonly failAt: FailAt = (message, at, hint) => this.fail(message, at, hint);
  constructor(
    readonly b: Uint8Array,
    readonly file: string,
    readonly ranges: EncRanges,
  ) {
    this.buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    this.n = b.length;
  }

  /** `b[start..end)` as a string with its own storage (ASCII: bytes are characters). */
  text(start: number, end: number): string {
    return this.buf.toString("latin1", start, end);
  }

  fail(message: string, at = this.pos, hint?: string): never {
    const position = positionOf(this.text(0, this.n), at);
    throw new FormatError(`${this.file}:${position.line}:${position.column}: ${message}`, {
      position,
      hint: hint ?? "fix the JSON syntax at that position",
    });
  }

  describe(at: number): string {
    if (at >= this.n) return "end of input";
    return `character ${JSON.stringify(String.fromCharCode(this.b[at]!))}`;
  }

  ws(): string {
    const b = this.b;
    const n = this.n;
    const start = this.pos;
    let p = start;
    while (p < n) {
      const c = b[p]!;
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
    if (p === start) return "";
    const k = p - start - 1;
    if (k < MAX_SHARED_INDENT && b[start] === 10) {
      let i = start + 1;
      while (i < p && b[i] === 32) i++;
      if (i === p) return newlineIndent(k);
    }
    const run = this.text(start, p);
    let known = this.runs.get(run);
    if (known === undefined) this.runs.set((known = run), known);
    return known;
  }

  value(): Node {
    const b = this.b;
    const start = this.pos;
    const c = start < this.n ? b[start]! : -1;
    if (c === 123 || c === 91) {
      if (++this.depth > MAX_NESTING) {
        const at = positionOf(this.text(0, this.n), start);
        throw nestingError(`${this.file}:${at.line}:${at.column}`, at);
      }
      const node = c === 123 ? this.object() : this.array();
      this.depth--;
      return node;
    }
    let value: ScalarValue;
    if (c === 34) {
      if (!this.inMetadata && startsWithAscii(b, start, ENC_VALUE_START)) {
        // Canonical (no escape, written back as read): a range, no string at all.
        const classes = this.classes;
        const n = this.n;
        let end = start + ENC_VALUE_START.length;
        while (end < n && classes[b[end]!] === 0) end++;
        if (end < n && b[end] === 34) {
          this.pos = end + 1;
          return this.ranges.add(start + 1, end);
        }
      }
      const text = this.string();
      value = { type: "str", value: text };
      if (this.canonicalString) return { kind: "leaf", value };
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      value = this.number();
      if (value.type === "int" && !(this.pos - start === 2 && c === 45)) return { kind: "leaf", value };
    } else if (startsWithAscii(b, start, "true")) {
      this.pos += 4;
      return { kind: "leaf", value: { type: "bool", value: true } };
    } else if (startsWithAscii(b, start, "false")) {
      this.pos += 5;
      return { kind: "leaf", value: { type: "bool", value: false } };
    } else if (startsWithAscii(b, start, "null")) {
      this.pos += 4;
      return { kind: "leaf", value: { type: "null" } };
    } else this.fail(`unexpected ${this.describe(start)}, expected a value`);
    return { kind: "leaf", value, src: new JsonLeafSrc(this.text(start, this.pos), value) } satisfies Leaf;
  }

  key(): string {
    const key = this.string();
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    this.keys.set(key, key);
    return key;
  }

  object(): MapNode {
    const b = this.b;
    this.pos++; // {
    const items: MapEntry[] = [];
    let lead = this.ws();
    if (b[this.pos] === 125) {
      this.pos++;
      return { kind: "map", items, src: new JsonContainerSrc(lead, [], [], [], true) };
    }
    for (;;) {
      if (b[this.pos] !== 34) this.fail(`unexpected ${this.describe(this.pos)}, expected a string key`);
      const keyStart = this.pos;
      const key = this.key();
      const keyRaw = this.canonicalString ? undefined : { key, raw: this.text(keyStart, this.pos) };
      const midStart = this.pos;
      this.ws();
      if (b[this.pos] !== 58) this.fail(`unexpected ${this.describe(this.pos)}, expected ':' after object key`);
      this.pos++;
      this.ws();
      const mid = this.pos - midStart === 2 && b[midStart] === 58 && b[midStart + 1] === 32 ? ": " : this.text(midStart, this.pos);
      this.inMetadata = this.inMetadata || (this.depth === 1 && key === "sops");
      const value = this.value();
      if (this.depth === 1) this.inMetadata = false;
      const after = this.ws();
      const c = b[this.pos];
      if (c === 44) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: this.share.entry(this.depth, lead, mid, after, keyRaw) });
        lead = this.ws();
      } else if (c === 125) {
        this.pos++;
        items.push({ kind: "entry", key, value, src: this.share.entry(this.depth, lead, mid, undefined, keyRaw) });
        const src = this.depth < 2 ? new JsonContainerSrc(after) : this.share.map(this.depth, after);
        return { kind: "map", items: items.slice(), src };
      } else this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or '}' in object`);
    }
  }

  array(): SeqNode {
    const b = this.b;
    this.pos++; // [
    const items: Node[] = [];
    let leads: string[] | undefined;
    let afters: string[] | undefined;
    let lead = this.ws();
    const first = lead;
    if (b[this.pos] === 93) {
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
      const c = b[this.pos];
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
    const b = this.b;
    const n = this.n;
    const classes = this.classes;
    const start = this.pos + 1;
    let p = start;
    let canonical = true;
    while (p < n) {
      const k = classes[b[p]!]!;
      if (k === 0) p++;
      else if (k === 1) {
        // HTML characters: Go's encoder escapes them, so the raw text is kept.
        canonical = false;
        p++;
      } else break;
    }
    if (p < n && b[p] === 34) {
      this.pos = p + 1;
      this.canonicalString = canonical;
      return this.text(start, p);
    }
    this.canonicalString = false;
    return this.slowString(start, p);
  }

  /** Escapes and errors: decoded by the shared slow path from a slice up to the closing quote. */
  slowString(start: number, from: number): string {
    const b = this.b;
    const n = this.n;
    let q = from;
    while (q < n && b[q] !== 34) q += b[q] === 92 ? 2 : 1;
    // From the opening quote; to the end of input when unterminated (an error either way).
    const base = start - 1;
    const slice = this.text(base, Math.min(q + 1, n));
    const { value, end } = decodeEscapedString(slice, 1, from - base, (message, at, hint) =>
      this.fail(message, at + base, hint),
    );
    this.pos = end + base;
    return value;
  }

  number(): ScalarValue {
    const start = this.pos;
    this.pos = numberEndBytes(this.b, start, this.failAt);
    return numberValue(this.text(start, this.pos), start, this.failAt);
  }
}

/**
 * Parse an ASCII JSON document from its bytes (the decrypt path): exactly what
 * `parseJsonText` gives for the same text with `ranges`, without decoding the input.
 */
export function parseJsonBytes(bytes: Uint8Array, file: string, ranges: EncRanges): MapNode {
  const p = new BytesParser(bytes, file, ranges);
  p.depth = 1;
  const docLead = p.ws();
  const c = bytes[p.pos];
  if (c !== 123) {
    if (p.pos >= p.n) p.fail("empty input: expected a JSON object");
    p.fail(
      `top-level value must be an object, got ${c === 91 ? "an array" : "a scalar"}`,
      p.pos,
      'SOPS only stores JSON objects at the top level; wrap the value, e.g. {"data": [...]}',
    );
  }
  const root = p.object();
  const docTail = p.ws();
  if (p.pos < p.n) {
    p.fail(`unexpected ${p.describe(p.pos)} after the top-level object`, p.pos, "a JSON file holds exactly one object");
  }
  const layout = root.src as JsonContainerSrc;
  // ASCII input: no BOM.
  layout.bom = false;
  layout.docLead = docLead;
  layout.docTail = docTail;
  return root;
}
