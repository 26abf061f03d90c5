import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

const MAGIC = Buffer.from("SOBRETC1");
const KEY_FILE = "cache.key";

/**
 * Encrypted cache of textconv output, so `git log -p` over hundreds of commits does not
 * unwrap a data key (KMS call, gpg prompt) per blob.
 *
 * Layout: `<dir>/` (0700) holds `cache.key` (0600, 32 random bytes) and one entry per
 * ciphertext blob, named by the SHA-256 of the blob: `MAGIC | iv(12) | tag(16) | data`,
 * AES-256-GCM under the cache key with AAD = name + output kind, so entries cannot be
 * swapped or forged without the key.
 *
 * Threat model: plaintext never sits on disk in clear (backups, disk images, other
 * users, a stolen cache directory alone reveal nothing). It does NOT protect against
 * someone who can read the user's files (they get the key too — and the user's age
 * identity anyway), and entries stay readable after the user loses access to a file's
 * master keys until `sobre git textconv --clear-cache`. Git's own `cachetextconv` is
 * never enabled: it would store the plaintext in `refs/notes/textconv` inside the repo.
 */
export class TextconvCache {
  private constructor(
    readonly dir: string,
    private readonly key: Buffer,
  ) {}

  /** Open (creating) the cache; undefined when the directory cannot be made private. */
  static open(dir: string): TextconvCache | undefined {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      return new TextconvCache(dir, loadOrCreateKey(join(dir, KEY_FILE)));
    } catch {
      return undefined;
    }
  }

  /** Remove every entry and the key (crypto-shredding whatever a backup kept). */
  static clear(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  /** Entry name for a ciphertext blob. */
  static nameFor(blob: Uint8Array): string {
    return createHash("sha256").update(blob).digest("hex");
  }

  get(name: string, kind: string): Uint8Array | undefined {
    let raw: Buffer;
    try {
      raw = readFileSync(join(this.dir, name));
    } catch {
      return undefined;
    }
    if (raw.length < MAGIC.length + 28 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const iv = raw.subarray(MAGIC.length, MAGIC.length + 12);
    const tag = raw.subarray(MAGIC.length + 12, MAGIC.length + 28);
    try {
      const d = createDecipheriv("aes-256-gcm", this.key, iv);
      d.setAAD(aad(name, kind));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(raw.subarray(MAGIC.length + 28)), d.final()]);
    } catch {
      return undefined; // other key (cache cleared), truncated or tampered: just a miss
    }
  }

  put(name: string, kind: string, plaintext: Uint8Array): void {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    c.setAAD(aad(name, kind));
    const data = Buffer.concat([c.update(plaintext), c.final()]);
    const tmp = join(this.dir, `.${name}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      writePrivate(tmp, Buffer.concat([MAGIC, iv, c.getAuthTag(), data]));
      renameSync(tmp, join(this.dir, name));
    } catch {
      rmSync(tmp, { force: true }); // a cache that cannot be written is only slower
    }
  }
}

function aad(name: string, kind: string): Buffer {
  return Buffer.from(`sobre-textconv-v1\0${name}\0${kind}`);
}

function writePrivate(path: string, data: Uint8Array): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

function loadOrCreateKey(path: string): Buffer {
  try {
    const st = statSync(path);
    const key = readFileSync(path);
    // A key others can read protects nothing: start over with a fresh one.
    if (key.length === 32 && (st.mode & 0o077) === 0) return key;
  } catch {
    // missing: create below
  }
  const key = randomBytes(32);
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  writePrivate(tmp, key);
  renameSync(tmp, path);
  return key;
}
