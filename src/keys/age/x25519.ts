/** The native X25519 recipient type (`age1…` / `AGE-SECRET-KEY-1…`), over node:crypto. */
import { b64Decode, b64Encode, type Stanza } from "./format.js";
import { checkFileKey, type AgeIdentity, type AgeRecipient } from "./identity.js";
import { hkdf, open, randomScalar, seal, x25519, x25519Base } from "./primitives.js";

const LABEL = "age-encryption.org/v1/X25519";

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
