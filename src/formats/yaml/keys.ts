/**
 * Mapping keys: SOPS needs string keys (go-yaml decodes `1:`, `true:`, `~:` to other
 * types, which SOPS rejects) and refuses duplicates.
 */
import type { ScalarValue } from "../../tree/types.js";
import type { Cursor } from "./cursor.js";
import { ALIAS_HINT } from "./properties.js";

/** The keys already used in a mapping. */
export interface KeySet {
  has(key: string): boolean;
  add(key: string): unknown;
}

/** The string key of a parsed key node; throws a positioned FormatError otherwise. */
export function mapKey(c: Cursor, at: number, v: ScalarValue, plain: boolean, seen: KeySet): string {
  if (v.type !== "str") {
    const hint = v.type === "null" ? "give the entry a key" : `quote the key to make it a string, e.g. "${v.type === "bytes" ? "" : String(v.value)}":`;
    throw c.error(at, `mapping key is a ${v.type === "time" ? "timestamp" : v.type}, not a string (SOPS supports string keys only)`, hint);
  }
  if (v.value === "<<" && plain) throw c.error(at, "merge keys (<<) are not supported", ALIAS_HINT);
  if (seen.has(v.value)) throw c.error(at, `mapping key "${v.value}" already defined`, "remove or rename the duplicate key");
  seen.add(v.value);
  return v.value;
}

const SLOTS = 512;

/** Characters of keys the cache takes: none ends a plain scalar or starts a comment. */
function isWordChar(x: number): boolean {
  return (x >= 97 && x <= 122) || (x >= 65 && x <= 90) || (x >= 48 && x <= 57) || x === 95 /* _ */ || x === 45 /* - */ || x === 46 /* . */ || x === 47 /* / */;
}

/**
 * Plain keys already resolved to strings, by hash of their text. Real files repeat the
 * same few keys in every record (`user:`, `password:`, …): a hit shares one string and
 * skips scanning, slicing and type resolution for the key. Only keys made of word
 * characters and directly followed by `: ` qualify, for which the plain-scalar scanner
 * would return exactly that text.
 */
export class KeyCache {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  private hash = 0;

  /** End of a cacheable key starting at `k` (the `:`), or -1. Remembers its hash. */
  simpleEnd(t: string, k: number): number {
    let h = 0;
    let j = k;
    for (;;) {
      const x = t.charCodeAt(j);
      if (!isWordChar(x)) break;
      h = (Math.imul(h, 31) + x) | 0;
      j++;
    }
    if (j === k || j - k > 64 || t.charCodeAt(j) !== 58 /* : */) return -1;
    const after = t.charCodeAt(j + 1);
    if (after !== 32 && after !== 9 && after !== 10 && after !== 13 && !Number.isNaN(after)) return -1;
    this.hash = h;
    return j;
  }

  /** The cached key equal to `t[k, end)` (after `simpleEnd`), if any. */
  get(t: string, k: number, end: number): string | undefined {
    const s = this.slots[this.hash & (SLOTS - 1)];
    if (s === undefined || s.length !== end - k) return undefined;
    // A plain loop: cheaper than a `startsWith` call for these few characters.
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== t.charCodeAt(k + i)) return undefined;
    return s;
  }

  /** Remember a key that resolved to this string (after `simpleEnd` for the same text). */
  put(key: string): void {
    this.slots[this.hash & (SLOTS - 1)] = key;
  }
}

/** Maps with more keys than this switch from a scan to a `Set`. */
const SCAN_LIMIT = 16;

/**
 * The keys of every open block mapping, innermost last, on one shared stack: a small
 * mapping (the usual record) checks duplicates by a short scan instead of allocating a
 * `Set`; a big one gets a `Set` once it passes `SCAN_LIMIT` keys.
 */
export class OpenMapKeys implements KeySet {
  private readonly stack: string[] = [];
  private readonly bases: number[] = [];
  private readonly sets: (Set<string> | undefined)[] = [];

  /** A mapping starts (its keys go on top of its parent's). */
  open(): void {
    this.bases.push(this.stack.length);
    this.sets.push(undefined);
  }

  /** The innermost mapping ended. */
  close(): void {
    this.stack.length = this.bases.pop()!;
    this.sets.pop();
  }

  has(key: string): boolean {
    const d = this.bases.length - 1;
    const set = this.sets[d];
    if (set !== undefined) return set.has(key);
    const st = this.stack;
    for (let i = this.bases[d]!; i < st.length; i++) if (st[i] === key) return true;
    return false;
  }

  /** `has` and `add` in one pass: false when `key` is already in the innermost mapping. */
  claim(key: string): boolean {
    const d = this.bases.length - 1;
    const set = this.sets[d];
    if (set !== undefined) {
      const size = set.size;
      return set.add(key).size !== size;
    }
    const st = this.stack;
    const base = this.bases[d]!;
    for (let i = base; i < st.length; i++) if (st[i] === key) return false;
    st.push(key);
    if (st.length - base >= SCAN_LIMIT) {
      this.sets[d] = new Set(st.slice(base));
      st.length = base;
    }
    return true;
  }

  add(key: string): void {
    const d = this.bases.length - 1;
    const set = this.sets[d];
    if (set !== undefined) {
      set.add(key);
      return;
    }
    const base = this.bases[d]!;
    this.stack.push(key);
    if (this.stack.length - base >= SCAN_LIMIT) {
      this.sets[d] = new Set(this.stack.slice(base));
      this.stack.length = base;
    }
  }
}
