import { createHash, timingSafeEqual, type Hash } from "node:crypto";

/** SHA-256("sops"): fed first when `mac_only_encrypted` is set, so both MAC kinds differ. */
const MAC_ONLY_ENCRYPTED_INIT = Buffer.from("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69", "hex");

/** Incremental SOPS MAC: SHA-512 over plaintext value bytes in walk order, uppercase hex. */
export class MacHasher {
  private readonly hash: Hash = createHash("sha512");

  constructor(macOnlyEncrypted: boolean) {
    if (macOnlyEncrypted) this.hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }

  /** Hash bytes, or text as its UTF-8 bytes. */
  update(bytes: Uint8Array | string): void {
    if (bytes.length > 0) this.hash.update(bytes);
  }

  digestHex(): string {
    return this.hash.digest("hex").toUpperCase();
  }
}

/** Constant-time comparison of two MAC strings. */
export function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
