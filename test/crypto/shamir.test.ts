import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { combine, split } from "../../src/crypto/shamir.js";

describe("shamir", () => {
  it("recovers the secret from every threshold subset and appends x = i + 1", () => {
    const secret = randomBytes(32);
    const shares = split(secret, 4, 3);
    expect(shares.map((s) => s[32])).toEqual([1, 2, 3, 4]);
    for (const subset of [[0, 1, 2], [1, 2, 3], [0, 2, 3], [0, 1, 2, 3]]) {
      expect(Buffer.from(combine(subset.map((i) => shares[i]!)))).toEqual(secret);
    }
  });

  it("does not recover the secret below the threshold", () => {
    const secret = randomBytes(32);
    const shares = split(secret, 3, 3);
    expect(Buffer.from(combine([shares[0]!, shares[1]!]))).not.toEqual(secret);
  });

  it("rejects invalid parameters and inconsistent shares", () => {
    expect(() => split(randomBytes(32), 2, 1)).toThrow(/invalid/);
    expect(() => split(randomBytes(32), 2, 3)).toThrow(/invalid/);
    const shares = split(randomBytes(32), 2, 2);
    expect(() => combine([shares[0]!, shares[0]!])).toThrow(/duplicate/);
    expect(() => combine([shares[0]!, shares[1]!.slice(1)])).toThrow(/lengths/);
  });

  it("round-trips any secret for any 2 <= t <= n <= 8 (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 6 }), (secret, t, extra) => {
        const n = Math.min(8, t + extra);
        const shares = split(secret, n, t);
        expect(combine(shares.slice(n - t))).toEqual(secret);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
