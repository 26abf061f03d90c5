/** bech32 encodings of X25519 keys: `age1…` recipients and `AGE-SECRET-KEY-1…` identities. */
import { bech32Decode, bech32Encode } from "./bech32.js";

/** Decode `age1…` to its 32-byte public key. Throws on a bad encoding. */
export function decodeX25519Recipient(recipient: string): Uint8Array {
  const { hrp, data } = bech32Decode(recipient);
  if (hrp !== "age") throw new Error("not an age1 X25519 recipient");
  if (data.length !== 32) throw new Error("invalid X25519 recipient length");
  return data;
}

/** Encode a 32-byte public key as `age1…`. */
export function encodeX25519Recipient(publicKey: Uint8Array): string {
  return bech32Encode("age", publicKey);
}

/** Decode `AGE-SECRET-KEY-1…` to its 32-byte scalar. Throws on a bad encoding. */
export function decodeX25519Identity(identity: string): Uint8Array {
  const { hrp, data } = bech32Decode(identity);
  if (hrp !== "AGE-SECRET-KEY-") throw new Error("not an AGE-SECRET-KEY-1 identity");
  if (data.length !== 32) throw new Error("invalid X25519 identity length");
  return data;
}

/** Encode a 32-byte scalar as `AGE-SECRET-KEY-1…`. */
export function encodeX25519Identity(secret: Uint8Array): string {
  return bech32Encode("AGE-SECRET-KEY-", secret);
}
