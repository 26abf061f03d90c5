/**
 * Remembers the IV of every value decrypted in this run, keyed by (aad, type, plaintext),
 * so re-encrypting an unchanged value under the same data key reproduces its exact
 * ciphertext (minimal diffs). Same key + IV + AAD + plaintext is the same GCM invocation
 * as before, so no nonce is ever used for two different messages.
 *
 * Each remembered IV is handed out at most once, in the order remembered: two equal
 * values at the same path (identical list items, the same key in two YAML documents)
 * keep their own distinct ciphertexts instead of both taking one IV, which would reveal
 * that they are equal.
 *
 * Cheap when nothing is recalled (plain `decrypt` remembers every value and never asks):
 * `remember` appends the plaintext and IV bytes to one growing arena; the lookup map is
 * only built on the first `recall`.
 */
export class IvMemory {
  private arena = Buffer.allocUnsafeSlow(4096);
  private used = 0;
  /** Per entry: plaintext start, IV start (the IV ends where the next entry starts). */
  private readonly offs: number[] = [];
  private readonly aads: string[] = [];
  private readonly types: string[] = [];
  private index: Map<string, number[]> | undefined;

  private static keyOf(aad: string, type: string, plaintext: Uint8Array): string {
    const bytes = Buffer.isBuffer(plaintext) ? plaintext : Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
    return `${aad}\u0000${type}\u0000${bytes.toString("latin1")}`;
  }

  private reserve(extra: number): void {
    if (this.used + extra > this.arena.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.arena.length * 2, this.used + extra));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena.fill(0);
      this.arena = grown;
    }
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.arena.set(bytes, this.used);
    this.used += bytes.length;
  }

  remember(aad: string, type: string, plaintext: Uint8Array, iv: Uint8Array): void {
    const entry = this.aads.length;
    this.offs.push(this.used);
    this.append(plaintext);
    this.offs.push(this.used);
    this.append(iv);
    this.aads.push(aad);
    this.types.push(type);
    if (this.index) IvMemory.add(this.index, IvMemory.keyOf(aad, type, plaintext), entry);
  }

  /**
   * `remember` for a plaintext held in `src[from..to)` and an IV still in base64 (as in
   * its ENC text): no per-value Buffers.
   */
  rememberRange(aad: string, type: string, src: Buffer, from: number, to: number, ivBase64: string): void {
    const entry = this.aads.length;
    this.offs.push(this.used);
    this.reserve(to - from + ivBase64.length);
    this.used += src.copy(this.arena, this.used, from, to);
    this.offs.push(this.used);
    this.used += this.arena.write(ivBase64, this.used, "base64");
    this.aads.push(aad);
    this.types.push(type);
    if (this.index) IvMemory.add(this.index, IvMemory.keyOf(aad, type, src.subarray(from, to)), entry);
  }

  private end(entry: number): number {
    return entry + 1 < this.aads.length ? this.offs[2 * entry + 2]! : this.used;
  }

  private static add(index: Map<string, number[]>, key: string, entry: number): void {
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  }

  private built(): Map<string, number[]> {
    if (!this.index) {
      const index = new Map<string, number[]>();
      for (let e = 0; e < this.aads.length; e++) {
        const plaintext = this.arena.subarray(this.offs[2 * e]!, this.offs[2 * e + 1]!);
        IvMemory.add(index, IvMemory.keyOf(this.aads[e]!, this.types[e]!, plaintext), e);
      }
      this.index = index;
    }
    return this.index;
  }

  /** The next unused IV remembered for this (aad, type, plaintext), if any. */
  recall(aad: string, type: string, plaintext: Uint8Array): Uint8Array | undefined {
    const entry = this.built().get(IvMemory.keyOf(aad, type, plaintext))?.shift();
    if (entry === undefined) return undefined;
    return Uint8Array.prototype.slice.call(this.arena, this.offs[2 * entry + 1]!, this.end(entry));
  }

  /** Number of distinct (aad, type, plaintext) values that still have an IV to hand out. */
  get size(): number {
    let n = 0;
    for (const list of this.built().values()) if (list.length > 0) n++;
    return n;
  }
}
