/**
 * SSH private key files for age's SSH identities: the OpenSSH format
 * (`openssh-key-v1`, parsed here) and PEM/PKCS#8 (read by node:crypto). Encrypted keys
 * prompt for a passphrase only when a stanza matches their public key.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { decryptOpenSshSection, isSupportedOpenSshCipher } from "./openssh-decrypt.js";
import type { SshPrivate } from "./ssh.js";
import { bigToB64url, parsePublicBlob, toBigInt, wire, WireReader, type SshPublicKey } from "./ssh-wire.js";

/** A parsed private key file: its public half now, its private half on demand. */
export interface SshKeyFile {
  readonly pub: SshPublicKey;
  /** Whether obtaining the private half needs a passphrase. */
  readonly encrypted: boolean;
  /** Resolve the private half; `passphrase` is called only when needed. */
  resolve(passphrase: () => Promise<string>): Promise<SshPrivate>;
}

const OPENSSH_PEM = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;
const MAGIC = "openssh-key-v1\0";

/**
 * Parse a private key file. `publicKeyLine` supplies the public half of encrypted
 * PEM keys (`id_rsa.pub`), which cannot be read without the passphrase.
 */
export function parseSshPrivateKey(text: string, publicKeyLine?: () => SshPublicKey): SshKeyFile {
  const m = OPENSSH_PEM.exec(text);
  if (m) return parseOpenSsh(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64")));
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new Error("not an SSH private key");
  const encrypted = /ENCRYPTED/.test(text);
  if (!encrypted) {
    const priv = fromKeyObject(createPrivateKey({ key: text, format: "pem" }));
    return { pub: publicOf(priv), encrypted: false, resolve: async () => priv };
  }
  if (!publicKeyLine) throw new Error("encrypted key without its .pub file");
  const pub = publicKeyLine();
  return {
    pub,
    encrypted: true,
    async resolve(passphrase) {
      const pass = await passphrase();
      try {
        return fromKeyObject(createPrivateKey({ key: text, format: "pem", passphrase: pass }));
      } catch {
        throw new Error("incorrect passphrase");
      }
    },
  };
}

function fromKeyObject(key: KeyObject): SshPrivate {
  if (key.asymmetricKeyType === "rsa") return { kind: "rsa", key };
  if (key.asymmetricKeyType === "ed25519") {
    const d = key.export({ format: "jwk" }).d;
    return { kind: "ed25519", seed: new Uint8Array(Buffer.from(d ?? "", "base64url")) };
  }
  throw new Error(`unsupported SSH identity type ${key.asymmetricKeyType ?? "unknown"}`);
}

function publicOf(priv: SshPrivate): SshPublicKey {
  if (priv.kind === "rsa") {
    const jwk = createPublicKey(priv.key).export({ format: "jwk" });
    const n = toBigInt(Buffer.from(jwk.n ?? "", "base64url"));
    const e = toBigInt(Buffer.from(jwk.e ?? "", "base64url"));
    return parsePublicBlob(wire("ssh-rsa", e, n));
  }
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), priv.seed]);
  const pubKey = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }));
  const raw = Buffer.from(pubKey.export({ format: "jwk" }).x ?? "", "base64url");
  return parsePublicBlob(wire("ssh-ed25519", raw));
}

function parseOpenSsh(data: Uint8Array): SshKeyFile {
  if (Buffer.from(data.subarray(0, MAGIC.length)).toString("latin1") !== MAGIC) throw new Error("invalid OpenSSH private key");
  const r = new WireReader(data.subarray(MAGIC.length));
  const cipher = r.string();
  const kdf = r.string();
  const kdfOptions = r.bytes();
  if (r.uint32() !== 1) throw new Error("OpenSSH key files with several keys are not supported");
  const pub = parsePublicBlob(r.bytes());
  const section = r.bytes();
  if (cipher !== "none") {
    if (!isSupportedOpenSshCipher(cipher, kdf)) throw new Error(`unsupported OpenSSH key encryption ${cipher}/${kdf}`);
    return {
      pub,
      encrypted: true,
      async resolve(passphrase) {
        const plain = await decryptOpenSshSection({ cipher, kdfOptions, section }, await passphrase());
        return parsePrivateSection(plain);
      },
    };
  }
  const priv = parsePrivateSection(section);
  return { pub, encrypted: false, resolve: async () => priv };
}

function parsePrivateSection(section: Uint8Array): SshPrivate {
  const r = new WireReader(section);
  if (r.uint32() !== r.uint32()) throw new Error("invalid OpenSSH private key (check bytes differ)");
  const type = r.string();
  if (type === "ssh-ed25519") {
    r.bytes(); // public key
    const secret = r.bytes();
    if (secret.length !== 64) throw new Error("invalid ssh-ed25519 private key");
    return { kind: "ed25519", seed: secret.slice(0, 32) };
  }
  if (type === "ssh-rsa") {
    const [n, e, d, iqmp, p, q] = [r.bytes(), r.bytes(), r.bytes(), r.bytes(), r.bytes(), r.bytes()].map(toBigInt) as [
      bigint, bigint, bigint, bigint, bigint, bigint,
    ];
    const jwk = {
      kty: "RSA",
      n: bigToB64url(n),
      e: bigToB64url(e),
      d: bigToB64url(d),
      p: bigToB64url(p),
      q: bigToB64url(q),
      dp: bigToB64url(d % (p - 1n)),
      dq: bigToB64url(d % (q - 1n)),
      qi: bigToB64url(iqmp),
    };
    return { kind: "rsa", key: createPrivateKey({ key: jwk, format: "jwk" }) };
  }
  throw new Error(`unsupported SSH identity type ${JSON.stringify(type.slice(0, 40))}`);
}
