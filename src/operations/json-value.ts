import { EXIT, ExitError } from "../errors.js";
import { MAX_NESTING } from "../tree/nesting.js";
import { T, type MapEntry, type Node } from "../tree/types.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parse the JSON value of `sobre set` into a tree node. Numbers keep their syntax:
 * `5` is an int (64-bit exact), `5.0` or `5e0` a float, so the encrypted type matches
 * what the user wrote. Invalid JSON is SOPS's exit 7. Messages never echo the value.
 */
export function parseJsonValue(text: string): Node {
  const p = new JsonParser(text);
  p.ws();
  const node = p.value();
  p.ws();
  if (p.pos < text.length) p.fail("unexpected text after the value");
  return node;
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class JsonParser {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new ExitError(EXIT.ErrorInvalidSetFormat, `the value is not valid JSON: ${what} at offset ${this.pos}`, {
      hint: `strings need JSON quotes: '"text"'; numbers, true, false, null, objects and arrays are written as in JSON`,
    });
  }

  ws(): void {
    while (this.pos < this.s.length && " \t\n\r".includes(this.s[this.pos]!)) this.pos++;
  }

  value(): Node {
    const c = this.s[this.pos];
    if (c === "{" || c === "[") {
      // Bounded recursion: `[[[[…` must not overflow the stack.
      if (this.depth >= MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`);
      this.depth++;
      const node = c === "{" ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (c === '"') return T.str(this.string());
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, node] of [["true", () => T.bool(true)], ["false", () => T.bool(false)], ["null", () => T.nil()]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return node();
      }
    }
    return this.fail(c === undefined ? "unexpected end" : "unexpected character");
  }

  object(): Node {
    this.pos++;
    // Insertion-ordered, O(1) per key (a linear search made 100k keys quadratic).
    const items = new Map<string, MapEntry>();
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return T.map([]);
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail("expected a quoted key");
      const key = this.string();
      this.ws();
      if (this.s[this.pos] !== ":") this.fail('expected ":"');
      this.pos++;
      this.ws();
      const value = this.value();
      // Like Go's encoding/json, a repeated key keeps the last value.
      items.delete(key);
      items.set(key, T.entry(key, value));
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return T.map([...items.values()]);
      if (c !== ",") this.fail('expected "," or "}"');
    }
  }

  array(): Node {
    this.pos++;
    const items: Node[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return T.seq(items);
    }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return T.seq(items);
      if (c !== ",") this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const start = this.pos;
    const end = this.scanString();
    try {
      return JSON.parse(this.s.slice(start, end)) as string;
    } catch {
      this.pos = start;
      return this.fail("invalid string");
    }
  }

  private scanString(): number {
    this.pos++;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === "\\") this.pos += 2;
      else if (c === '"') return ++this.pos;
      else this.pos++;
    }
    return this.fail("unterminated string");
  }

  number(): Node {
    // Sticky match at pos: no copy of the rest of the input per number.
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (!m) return this.fail("invalid number");
    this.pos += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = BigInt(m[0]);
      // Beyond 64 bits it cannot be an int anywhere SOPS reads it; keep it as a float.
      if (n >= INT64_MIN && n <= INT64_MAX) return T.int(n);
    }
    return T.float(Number(m[0]));
  }
}
