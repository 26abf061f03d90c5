import { randomBytes } from "node:crypto";

/**
 * Shamir secret sharing over GF(2^8) with the AES polynomial (0x11B), byte by byte,
 * as SOPS (HashiCorp's implementation) does. Share = y-bytes followed by one x byte.
 * sobre gives group i (0-based) the x coordinate i + 1, as the spec records SOPS doing.
 */

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
(function buildTables() {
  // Generator 3 spans GF(2^8)* under 0x11B.
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x &= 0xff;
  }
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255]!;
})();

function mul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a]! + LOG[b]!]!;
}

function div(a: number, b: number): number {
  if (b === 0) throw new RangeError("division by zero");
  if (a === 0) return 0;
  return EXP[(LOG[a]! - LOG[b]! + 255) % 255]!;
}

/** Split `secret` into `parts` shares, any `threshold` of which recover it. */
export function split(secret: Uint8Array, parts: number, threshold: number): Uint8Array[] {
  if (threshold < 2 || parts < threshold || parts > 255) {
    throw new RangeError(`invalid shamir parameters: ${threshold} of ${parts}`);
  }
  const shares = Array.from({ length: parts }, (_, i) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = i + 1;
    return share;
  });
  const coeffs = new Uint8Array(threshold);
  for (let b = 0; b < secret.length; b++) {
    coeffs[0] = secret[b]!;
    coeffs.set(randomBytes(threshold - 1), 1);
    for (let i = 0; i < parts; i++) {
      const x = i + 1;
      let y = 0;
      for (let c = threshold - 1; c >= 0; c--) y = mul(y, x) ^ coeffs[c]!;
      shares[i]![b] = y;
    }
  }
  coeffs.fill(0);
  return shares;
}

/** Recover the secret from shares (Lagrange interpolation at x = 0 over all given shares). */
export function combine(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length < 2) throw new RangeError("need at least two shares");
  const len = shares[0]!.length;
  if (len < 2 || shares.some((s) => s.length !== len)) throw new RangeError("shares have different lengths");
  const xs = shares.map((s) => s[len - 1]!);
  if (new Set(xs).size !== xs.length) throw new RangeError("duplicate share");
  const secret = new Uint8Array(len - 1);
  for (let b = 0; b < len - 1; b++) {
    let acc = 0;
    for (let i = 0; i < shares.length; i++) {
      let basis = 1;
      for (let j = 0; j < shares.length; j++) {
        if (i === j) continue;
        basis = mul(basis, div(xs[j]!, xs[j]! ^ xs[i]!));
      }
      acc ^= mul(shares[i]![b]!, basis);
    }
    secret[b] = acc;
  }
  return secret;
}
