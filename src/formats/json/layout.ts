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
  private lastEntry: JsonEntrySrc | undefined;
  private lastEnd: JsonEntrySrc | undefined;
  private lastMap: JsonContainerSrc | undefined;
  private lastSeq: JsonContainerSrc | undefined;

  entry(lead: string, mid: string, after: string | undefined, keyRaw: JsonEntrySrc["keyRaw"]): JsonEntrySrc {
    if (keyRaw) return new JsonEntrySrc(lead, mid, after, keyRaw);
    const last = after === undefined ? this.lastEnd : this.lastEntry;
    if (last && last.lead === lead && last.mid === mid && last.after === after) return last;
    const src = new JsonEntrySrc(lead, mid, after);
    if (after === undefined) this.lastEnd = src;
    else this.lastEntry = src;
    return src;
  }

  map(close: string): JsonContainerSrc {
    if (this.lastMap?.close !== close) this.lastMap = new JsonContainerSrc(close);
    return this.lastMap;
  }

  /** A seq whose items all had `lead` and nothing before their `,`. */
  seq(close: string, lead: string): JsonContainerSrc {
    const last = this.lastSeq;
    if (last && last.close === close && last.lead === lead) return last;
    return (this.lastSeq = new JsonContainerSrc(close, [], [], [], false, lead));
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
