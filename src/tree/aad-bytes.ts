/**
 * AADs gathered as UTF-8 bytes in one buffer while a tree is walked, rather than kept
 * as 100k strings until the batch is packed: the strings then die young (the walk
 * builds them anyway) instead of surviving into the old generation with the tree.
 */
export class AadBytes {
  bytes: Buffer;
  /** Job i's AAD is `bytes[offs[i]..offs[i + 1])`. */
  readonly offs: Int32Array;
  private count = 0;

  /** `max`: at most this many AADs will be pushed. */
  constructor(max: number) {
    this.offs = new Int32Array(max + 1);
    // Capacity never written is never resident: generous is cheap, growth is a copy.
    this.bytes = Buffer.allocUnsafeSlow(Math.max(4096, 48 * max));
  }

  push(aad: string): void {
    const at = this.offs[this.count]!;
    if (at + 3 * aad.length > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, at + 3 * aad.length));
      this.bytes.copy(bigger, 0, 0, at);
      this.bytes = bigger;
    }
    this.offs[++this.count] = at + this.bytes.write(aad, at, "utf8");
  }

  length(i: number): number {
    return this.offs[i + 1]! - this.offs[i]!;
  }
}
