/**
 * The handful of node:crypto primitives the age format is composed of (C2SP age.md):
 * X25519, HKDF-SHA256, ChaCha20-Poly1305 and HMAC-SHA256. All come from OpenSSL; this
 * file only adapts raw 32-byte keys to KeyObjects and fixes the age-specific parameters.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

// Raw keys go in as JWK ("OKP"): Node imports those straight from the raw bytes, whereas
// a DER (PKCS#8/SPKI) import runs OpenSSL's decoder machinery, which costs about a
// millisecond on first use in every short run. For a private key Node reads only `d`
// (`x` must be a string but is not used), and derives the public key itself.
const b64url = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");

/** An X25519 private KeyObject from a raw 32-byte scalar (clamped by OpenSSL on use). */
export function x25519PrivateKey(scalar: Uint8Array): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "X25519", d: b64url(scalar), x: "" }, format: "jwk" });
}

/** An X25519 public KeyObject from a raw 32-byte u-coordinate. */
export function x25519PublicKey(point: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: b64url(point) }, format: "jwk" });
}

/**
 * X25519(scalar, point). Throws on a low-order point (all-zero shared secret), which
 * age requires rejecting.
 */
export function x25519(scalar: Uint8Array, point: Uint8Array): Uint8Array {
  if (scalar.length !== 32 || point.length !== 32) throw new Error("invalid X25519 key length");
  try {
    const out = diffieHellman({ privateKey: x25519PrivateKey(scalar), publicKey: x25519PublicKey(point) });
    if (out.every((b) => b === 0)) throw new Error("low order");
    return new Uint8Array(out);
  } catch {
    throw new Error("invalid X25519 shared secret (low-order point)");
  }
}

/** The public key (u-coordinate) of an X25519 scalar. */
export function x25519Base(scalar: Uint8Array): Uint8Array {
  const { x } = createPublicKey(x25519PrivateKey(scalar)).export({ format: "jwk" });
  return new Uint8Array(Buffer.from(x ?? "", "base64url"));
}

/** A fresh random X25519 scalar. */
export function randomScalar(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** HKDF-SHA256 with a text `info`, `length` bytes. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", ikm, salt, info, length));
}

/** HMAC-SHA256. */
export function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}

const ZERO_NONCE = new Uint8Array(12);

/** ChaCha20-Poly1305 seal (ciphertext ‖ 16-byte tag), no AAD. */
export function seal(key: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array = ZERO_NONCE): Uint8Array {
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  return new Uint8Array(Buffer.concat([head, tail, cipher.getAuthTag()]));
}

/** ChaCha20-Poly1305 open; returns null when authentication fails. */
export function open(key: Uint8Array, sealed: Uint8Array, nonce: Uint8Array = ZERO_NONCE): Uint8Array | null {
  if (sealed.length < 16) return null;
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const head = decipher.update(sealed.subarray(0, sealed.length - 16));
  try {
    return new Uint8Array(Buffer.concat([head, decipher.final()]));
  } catch {
    return null;
  }
}
