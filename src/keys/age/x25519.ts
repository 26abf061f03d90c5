/** The native X25519 recipient type (`age1…` / `AGE-SECRET-KEY-1…`), over node:crypto. */
import { bech32Decode, bech32Encode } from "./bech32.js";
import { b64Decode, b64Encode, type Stanza } from "./format.js";
import { checkFileKey, type AgeIdentity, type AgeRecipient } from "./identity.js";
import { hkdf, open, randomScalar, seal, x25519, x25519Base } from "./primitives.js";

const LABEL = "age-encryption.org/v1/X25519";

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

/** A recipient for a decoded X25519 public key. */
export function x25519Recipient(publicKey: Uint8Array): AgeRecipient {
  return {
    async wrap(fileKey: Uint8Array): Promise<Stanza[]> {
      const ephemeral = randomScalar();
      const share = x25519Base(ephemeral);
      const shared = x25519(ephemeral, publicKey);
      const key = hkdf(shared, Buffer.concat([share, publicKey]), LABEL);
      return [{ type: "X25519", args: [b64Encode(share)], body: seal(key, fileKey) }];
    },
  };
}

/** An identity for a decoded X25519 scalar. */
export function x25519Identity(secret: Uint8Array, source: string): AgeIdentity {
  const ourPublic = x25519Base(secret);
  return {
    source,
    async unwrap(stanzas: readonly Stanza[]): Promise<Uint8Array | null> {
      for (const s of stanzas) {
        if (s.type !== "X25519") continue;
        if (s.args.length !== 1) throw new Error("invalid X25519 stanza: wrong argument count");
        const share = b64Decode(s.args[0]!);
        if (share.length !== 32 || s.body.length !== 32) throw new Error("invalid X25519 stanza: wrong size");
        const shared = x25519(secret, share);
        const key = hkdf(shared, Buffer.concat([share, ourPublic]), LABEL);
        const fileKey = open(key, s.body);
        // X25519 stanzas do not name their recipient: failing to open means "not ours".
        if (fileKey !== null) return checkFileKey(fileKey, "X25519");
      }
      return null;
    },
  };
}

/** The `age1…` recipient of an X25519 identity scalar. */
export function x25519RecipientOf(secret: Uint8Array): string {
  return encodeX25519Recipient(x25519Base(secret));
}
