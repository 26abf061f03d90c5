/**
 * SSH wire encoding (RFC 4251 strings and mpints) for the SSH recipient types:
 * parsing `authorized_keys` lines and building the public-key blob whose SHA-256
 * prefix tags `ssh-ed25519` / `ssh-rsa` stanzas.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { b64Encode } from "./format.js";

/** A reader over SSH wire data. Throws on truncation. */
export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error("truncated SSH data");
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getUint32(0);
    this.pos += 4;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.uint32();
    if (this.pos + n > this.buf.length) throw new Error("truncated SSH data");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  string(): string {
    return Buffer.from(this.bytes()).toString("latin1");
  }
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

/** Encode SSH wire fields: strings from text or bytes, mpints from bigint. */
export function wire(...fields: Array<string | Uint8Array | bigint>): Uint8Array {
  const parts: Buffer[] = [];
  for (const f of fields) {
    let data: Buffer;
    if (typeof f === "string") data = Buffer.from(f, "latin1");
    else if (typeof f === "bigint") data = mpint(f);
    else data = Buffer.from(f);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    parts.push(len, data);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function mpint(n: bigint): Buffer {
  if (n === 0n) return Buffer.alloc(0);
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const raw = Buffer.from(hex, "hex");
  // Positive mpints whose top bit is set need a leading zero byte.
  return raw[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), raw]) : raw;
}

/** Unsigned big-endian bytes → bigint. */
export function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt("0x" + Buffer.from(bytes).toString("hex"));
}

/** bigint → unpadded base64url, as JWK wants RSA parameters. */
export function bigToB64url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  return Buffer.from(hex, "hex").toString("base64url");
}

/** The stanza tag: unpadded base64 of the first 4 bytes of SHA-256(public blob). */
export function sshTag(publicBlob: Uint8Array): string {
  return b64Encode(createHash("sha256").update(publicBlob).digest().subarray(0, 4));
}

/** A parsed SSH public key. */
export type SshPublicKey =
  | { kind: "ed25519"; blob: Uint8Array; key: Uint8Array }
  | { kind: "rsa"; blob: Uint8Array; key: KeyObject };

/** Parse an SSH public-key blob (`ssh-ed25519` or `ssh-rsa`). */
export function parsePublicBlob(blob: Uint8Array): SshPublicKey {
  const r = new WireReader(blob);
  const type = r.string();
  if (type === "ssh-ed25519") {
    const key = r.bytes();
    if (key.length !== 32 || !r.done) throw new Error("invalid ssh-ed25519 public key");
    return { kind: "ed25519", blob, key };
  }
  if (type === "ssh-rsa") {
    const e = toBigInt(r.bytes());
    const n = toBigInt(r.bytes());
    if (!r.done) throw new Error("invalid ssh-rsa public key");
    const key = createPublicKey({ key: { kty: "RSA", n: bigToB64url(n), e: bigToB64url(e) }, format: "jwk" });
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error("RSA key size is too small");
    return { kind: "rsa", blob, key };
  }
  throw new Error(`unsupported SSH key type ${JSON.stringify(type.slice(0, 40))}`);
}

/** Parse an `authorized_keys`-style line: `type base64 [comment]`. */
export function parseAuthorizedKey(line: string): SshPublicKey {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 2) throw new Error("expected `type base64-key [comment]`");
  const blob = Buffer.from(fields[1]!, "base64");
  if (blob.length === 0 || blob.toString("base64").replace(/=+$/, "") !== fields[1]!.replace(/=+$/, "")) {
    throw new Error("invalid base64 in SSH public key");
  }
  const key = parsePublicBlob(new Uint8Array(blob));
  const declared = fields[0] === "ssh-ed25519" ? "ed25519" : fields[0] === "ssh-rsa" ? "rsa" : "";
  if (declared !== key.kind) throw new Error("SSH key type does not match its data");
  return key;
}
