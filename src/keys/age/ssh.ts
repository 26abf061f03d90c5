/**
 * The `ssh-ed25519` and `ssh-rsa` recipient types (age's agessh), composed from
 * node:crypto: X25519 over the Montgomery form of the Ed25519 key with age's tweak, and
 * RSA-OAEP-SHA256 with age's label.
 */
import { createHash, privateDecrypt, publicEncrypt, constants, type KeyObject } from "node:crypto";
import { b64Decode, b64Encode, type Stanza } from "./format.js";
import { checkFileKey, type AgeIdentity, type AgeRecipient } from "./identity.js";
import { hkdf, open, randomScalar, seal, x25519, x25519Base } from "./primitives.js";
import { sshTag, type SshPublicKey } from "./ssh-wire.js";

const ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
const RSA_LABEL = "age-encryption.org/v1/ssh-rsa";
const P = 2n ** 255n - 19n;

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/** Birational map Edwards → Montgomery: u = (1 + y) / (1 − y) mod p. */
export function ed25519ToMontgomery(edPublic: Uint8Array): Uint8Array {
  const le = Buffer.from(edPublic).reverse();
  le[0]! &= 0x7f; // drop the sign bit of x (now the top byte after reversal)
  const y = BigInt("0x" + le.toString("hex"));
  if (y >= P || y === 1n) throw new Error("invalid Ed25519 public key");
  const u = ((1n + y) * modPow((1n - y + P) % P, P - 2n)) % P;
  const hex = u.toString(16).padStart(64, "0");
  return new Uint8Array(Buffer.from(hex, "hex").reverse());
}

/** The X25519 scalar age derives from an Ed25519 seed: SHA-512(seed)[:32]. */
export function ed25519SeedToScalar(seed: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha512").update(seed).digest().subarray(0, 32));
}

function tweak(blob: Uint8Array): Uint8Array {
  return hkdf(new Uint8Array(0), blob, ED25519_LABEL);
}

/** A recipient for a parsed SSH public key. */
export function sshRecipient(pub: SshPublicKey): AgeRecipient {
  const tag = sshTag(pub.blob);
  if (pub.kind === "rsa") {
    return {
      async wrap(fileKey) {
        const body = publicEncrypt(
          { key: pub.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: Buffer.from(RSA_LABEL) },
          fileKey,
        );
        return [{ type: "ssh-rsa", args: [tag], body: new Uint8Array(body) }];
      },
    };
  }
  const theirs = ed25519ToMontgomery(pub.key);
  return {
    async wrap(fileKey) {
      const ephemeral = randomScalar();
      const share = x25519Base(ephemeral);
      const shared = x25519(tweak(pub.blob), x25519(ephemeral, theirs));
      const key = hkdf(shared, Buffer.concat([share, theirs]), ED25519_LABEL);
      return [{ type: "ssh-ed25519", args: [tag, b64Encode(share)], body: seal(key, fileKey) }];
    },
  };
}

/** Private half of an SSH identity, resolved lazily (it may need a passphrase). */
export type SshPrivate = { kind: "ed25519"; seed: Uint8Array } | { kind: "rsa"; key: KeyObject };

/**
 * An SSH identity. `resolvePrivate` runs only once a stanza carries this key's tag, so
 * passphrase prompts happen only for files that need them.
 */
export function sshIdentity(pub: SshPublicKey, resolvePrivate: () => Promise<SshPrivate>, source: string, interactive = false): AgeIdentity {
  const tag = sshTag(pub.blob);
  const type = pub.kind === "rsa" ? "ssh-rsa" : "ssh-ed25519";
  let cached: Promise<SshPrivate> | undefined;
  return {
    source,
    interactive,
    async unwrap(stanzas: readonly Stanza[]) {
      for (const s of stanzas) {
        if (s.type !== type) continue;
        if (s.args.length !== (type === "ssh-rsa" ? 1 : 2)) throw new Error(`invalid ${type} stanza: wrong argument count`);
        if (s.args[0] !== tag) continue;
        cached ??= resolvePrivate();
        const priv = await cached;
        if (priv.kind === "rsa") {
          let out: Buffer;
          try {
            out = privateDecrypt(
              { key: priv.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: Buffer.from(RSA_LABEL) },
              s.body,
            );
          } catch {
            throw new Error("ssh-rsa stanza could not be decrypted with the matching key");
          }
          return checkFileKey(new Uint8Array(out), "ssh-rsa");
        }
        const share = b64Decode(s.args[1]!);
        if (share.length !== 32 || s.body.length !== 32) throw new Error("invalid ssh-ed25519 stanza: wrong size");
        const scalar = ed25519SeedToScalar(priv.seed);
        const ours = x25519Base(scalar);
        const shared = x25519(tweak(pub.blob), x25519(scalar, share));
        const fileKey = open(hkdf(shared, Buffer.concat([share, ours]), ED25519_LABEL), s.body);
        // The tag matched, so this stanza is ours: failing to open it is an error.
        if (fileKey === null) throw new Error("ssh-ed25519 stanza could not be decrypted with the matching key");
        return checkFileKey(fileKey, "ssh-ed25519");
      }
      return null;
    },
  };
}
