/**
 * ENC values left in the input bytes instead of being copied into strings, for a parse
 * that goes straight to decryption (`openEncryptedFile`). At 100k values the ENC texts
 * are some 15 MB of strings (or views pinning a 15 MB decoded input) that only live to
 * be decoded once and replaced by plaintexts: here they stay byte ranges of the input,
 * and `prepareDecryptTexts` checks and base64-decodes them there.
 *
 * A parser records each such value with `add`, which returns its leaf: the leaf's value
 * is the shared `PENDING_ENC` marker until `decryptTree` (given the same table) replaces
 * it by the plaintext, or by the ENC text itself (`materialise`) where the value is not
 * decrypted. The tree never leaves `openEncryptedFile` with a pending leaf.
 */
import type { EncTextRanges } from "./cipher-texts.js";
import type { Leaf, ScalarValue } from "./types.js";

/**
 * The value of a pending leaf. Never read as a value: `decryptTree` replaces it, and its
 * text is an invalid ENC text so any stray reader fails loudly rather than seeing "".
 */
export const PENDING_ENC: ScalarValue = Object.freeze({ type: "str", value: "ENC[pending]" });

/** Starting capacity; grown by doubling (two typed arrays, no per-value object). */
const INITIAL = 1024;

export class EncRanges implements EncTextRanges {
  private starts = new Int32Array(INITIAL);
  private ends = new Int32Array(INITIAL);
  private readonly leaves: Leaf[] = [];
  private bytes: Uint8Array | undefined;

  /**
   * `source`: the input bytes. `decode`: the parser's own reading of a recorded range as
   * a string value (exactly what it would have stored without this table).
   */
  constructor(
    source: Uint8Array,
    private readonly decode: (source: Uint8Array, start: number, end: number) => string,
  ) {
    this.bytes = source;
  }

  get count(): number {
    return this.leaves.length;
  }

  /** The input bytes (until `release`). */
  get source(): Uint8Array {
    if (!this.bytes) throw new Error("internal: ENC ranges used after release");
    return this.bytes;
  }

  /** Record the ENC value at `source[start..end)`; returns its pending leaf. */
  add(start: number, end: number): Leaf {
    const k = this.leaves.length;
    if (k === this.starts.length) {
      const starts = new Int32Array(2 * k);
      const ends = new Int32Array(2 * k);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[k] = start;
    this.ends[k] = end;
    const leaf: Leaf = { kind: "leaf", value: PENDING_ENC };
    this.leaves.push(leaf);
    return leaf;
  }

  start(k: number): number {
    return this.starts[k]!;
  }

  end(k: number): number {
    return this.ends[k]!;
  }

  /** Index of a pending leaf, `expected` first (the walk meets them in parse order), or -1. */
  indexOf(leaf: Leaf, expected: number): number {
    return this.leaves[expected] === leaf ? expected : this.leaves.indexOf(leaf);
  }

  /** Value k as the string the parser would have stored. */
  text(k: number): string {
    return this.decode(this.source, this.starts[k]!, this.ends[k]!);
  }

  /** Give leaf k its ENC text as value (a value that is not decrypted). */
  materialise(k: number): void {
    const leaf = this.leaves[k]!;
    if (leaf.value === PENDING_ENC) leaf.value = { type: "str", value: this.text(k) };
  }

  /** Drop the input bytes (every range is decoded or materialised): the input may be freed. */
  dropSource(): void {
    this.bytes = undefined;
    this.starts = this.ends = new Int32Array(0);
  }

  /** Check that no leaf is left pending (each was decrypted or materialised), then forget them. */
  release(): void {
    for (let k = 0; k < this.leaves.length; k++) {
      if (this.leaves[k]!.value === PENDING_ENC) throw new Error("internal: a pending ENC value was never decrypted");
    }
    this.dropSource();
    this.leaves.length = 0;
  }
}
