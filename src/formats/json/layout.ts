/**
 * Layout hints the JSON parser leaves in node `src` so the emitter can reproduce the
 * input byte for byte where nothing changed. Classes, so that `instanceof` tells them
 * apart from another format's hints (a YAML tree emitted as JSON). Private to
 * src/formats/json.
 */
import type { Node, ScalarValue } from "../../tree/types.js";

/** On a Leaf: the value exactly as written, and the value it was parsed as. */
export class JsonLeafSrc {
  constructor(
    readonly raw: string,
    readonly orig: ScalarValue,
  ) {}
}

/**
 * On a MapEntry: whitespace before the key, `ws : ws`, ws before `,`. Entries laid out
 * alike share one instance (the parser reuses it), so a 100k-entry file does not keep
 * 100k copies of the same three strings.
 */
export class JsonEntrySrc {
  constructor(
    readonly lead: string,
    readonly mid: string,
    /** Whitespace between the value and the following `,`; undefined for the last entry. */
    readonly after: string | undefined,
    /**
     * Only when the key is not written as `quoteJsonString` writes it (escapes, `<`…):
     * the key as read and its text, reused while the entry keeps that key.
     */
    readonly keyRaw?: { readonly key: string; readonly raw: string },
  ) {}
}

/** On a MapNode or SeqNode: whitespace before the closing bracket, plus per-item trivia for seqs. */
export class JsonContainerSrc {
  /** Root only: a UTF-8 byte-order mark, whitespace before `{` and after `}`. */
  bom = false;
  docLead = "";
  docTail = "";
  constructor(
    readonly close: string,
    /** Seq only: the original items and the whitespace before / after each. */
    readonly items: readonly Node[] = [],
    readonly leads: readonly string[] = [],
    readonly afters: readonly string[] = [],
    /** The container was empty in the input (its `close` is the whitespace inside `{ }`). */
    readonly empty = false,
    /**
     * Seq only, instead of items/leads/afters: every item had this lead and nothing
     * before its `,` (the usual case; such seqs share one instance).
     */
    readonly lead?: string,
  ) {}
}

/**
 * The parser's memory of the hints it made last: the next entry, map or seq laid out
 * the same way reuses the instance (hints are never modified after parsing, except the
 * root's, which is never shared).
 */
export class LayoutShare {
  // Per nesting depth: siblings are laid out alike, but a map's entries alternate with
  // those of the maps nested in it.
  private readonly entries: (JsonEntrySrc | undefined)[] = [];
  private readonly ends: (JsonEntrySrc | undefined)[] = [];
  private readonly maps: (JsonContainerSrc | undefined)[] = [];
  private readonly seqs: (JsonContainerSrc | undefined)[] = [];

  entry(depth: number, lead: string, mid: string, after: string | undefined, keyRaw: JsonEntrySrc["keyRaw"]): JsonEntrySrc {
    if (keyRaw) return new JsonEntrySrc(lead, mid, after, keyRaw);
    const cache = after === undefined ? this.ends : this.entries;
    const last = cache[depth];
    if (last && last.lead === lead && last.mid === mid && last.after === after) return last;
    return (cache[depth] = new JsonEntrySrc(lead, mid, after));
  }

  map(depth: number, close: string): JsonContainerSrc {
    const last = this.maps[depth];
    if (last && last.close === close) return last;
    return (this.maps[depth] = new JsonContainerSrc(close));
  }

  /** A seq whose items all had `lead` and nothing before their `,`. */
  seq(depth: number, close: string, lead: string): JsonContainerSrc {
    const last = this.seqs[depth];
    if (last && last.close === close && last.lead === lead) return last;
    return (this.seqs[depth] = new JsonContainerSrc(close, [], [], [], false, lead));
  }
}

/** Structural equality of two scalars (the engine may swap in an equal value object). */
export function sameScalar(a: ScalarValue, b: ScalarValue): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  if (a.type === "null" || b.type === "null") return true;
  if (a.type === "bytes" && b.type === "bytes") {
    if (a.value.length !== b.value.length) return false;
    for (let i = 0; i < a.value.length; i++) if (a.value[i] !== b.value[i]) return false;
    return true;
  }
  return Object.is((a as { value: unknown }).value, (b as { value: unknown }).value);
}
