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

/** On a MapEntry: whitespace before the key, the key as written, `ws : ws`, ws before `,`. */
export class JsonEntrySrc {
  constructor(
    readonly lead: string,
    readonly key: string,
    /** Undefined when it is `"` + key + `"` (no escapes): rebuilt on emit rather than kept. */
    readonly keyRaw: string | undefined,
    readonly mid: string,
    /** Whitespace between the value and the following `,`; undefined for the last entry. */
    readonly after: string | undefined,
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
  ) {}
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
