/**
 * Decrypting passphrase-protected OpenSSH private keys: bcrypt-pbkdf (the
 * `bcrypt-pbkdf` package, loaded only here, as node:crypto has no Blowfish KDF) derives
 * key and IV; AES comes from node:crypto.
 */
import { createDecipheriv } from "node:crypto";
import { WireReader } from "./ssh-wire.js";

const CIPHERS: Record<string, { node: string; keyLen: number; ivLen: number }> = {
  "aes256-ctr": { node: "aes-256-ctr", keyLen: 32, ivLen: 16 },
  "aes192-ctr": { node: "aes-192-ctr", keyLen: 24, ivLen: 16 },
  "aes128-ctr": { node: "aes-128-ctr", keyLen: 16, ivLen: 16 },
  "aes256-cbc": { node: "aes-256-cbc", keyLen: 32, ivLen: 16 },
  "aes128-cbc": { node: "aes-128-cbc", keyLen: 16, ivLen: 16 },
};

/** Whether this cipher/KDF pair can be decrypted here. */
export function isSupportedOpenSshCipher(cipher: string, kdf: string): boolean {
  return kdf === "bcrypt" && cipher in CIPHERS;
}

/**
 * Decrypt the private section. Throws "incorrect passphrase" when the check words
 * differ, as OpenSSH does.
 */
export async function decryptOpenSshSection(
  options: { cipher: string; kdfOptions: Uint8Array; section: Uint8Array },
  passphrase: string,
): Promise<Uint8Array> {
  const spec = CIPHERS[options.cipher];
  if (!spec) throw new Error(`unsupported OpenSSH key cipher ${options.cipher}`);
  const r = new WireReader(options.kdfOptions);
  const salt = r.bytes();
  const rounds = r.uint32();
  const mod = (await import("bcrypt-pbkdf")) as typeof import("bcrypt-pbkdf") & { default?: typeof import("bcrypt-pbkdf") };
  const { pbkdf } = mod.default ?? mod;
  const pass = new TextEncoder().encode(passphrase);
  const out = new Uint8Array(spec.keyLen + spec.ivLen);
  if (pass.length === 0 || pbkdf(pass, pass.length, salt, salt.length, out, out.length, rounds) !== 0) {
    throw new Error("incorrect passphrase");
  }
  const decipher = createDecipheriv(spec.node, out.subarray(0, spec.keyLen), out.subarray(spec.keyLen));
  decipher.setAutoPadding(false);
  const plain = new Uint8Array(Buffer.concat([decipher.update(options.section), decipher.final()]));
  const check = new DataView(plain.buffer, plain.byteOffset, 8);
  if (plain.length < 8 || check.getUint32(0) !== check.getUint32(4)) throw new Error("incorrect passphrase");
  return plain;
}
