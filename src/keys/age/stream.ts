/**
 * Whole-file age encryption around a file key: header MAC (HMAC-SHA256 under
 * HKDF(fileKey, "header")) and the STREAM payload (64 KiB ChaCha20-Poly1305 chunks,
 * nonce = 11-byte big-endian counter ‖ last-chunk flag, key = HKDF(fileKey, nonce, "payload")).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { b64Encode, encodeHeaderNoMac, type ParsedFile, type Stanza } from "./format.js";
import { hkdf, hmac, open, seal } from "./primitives.js";

const CHUNK = 64 * 1024;
const TAG = 16;

function chunkNonce(counter: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  // 2^53 chunks is far beyond anything a data key needs; the high bytes stay zero.
  const view = new DataView(nonce.buffer);
  view.setUint32(3, Math.floor(counter / 2 ** 32));
  view.setUint32(7, counter % 2 ** 32);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Header MAC over the header text through `---`. */
export function headerMac(fileKey: Uint8Array, headerNoMac: Uint8Array): Uint8Array {
  return hmac(hkdf(fileKey, new Uint8Array(0), "header"), headerNoMac);
}

/** Build a complete binary age file for `plaintext` with the given stanzas. */
export function encryptWithStanzas(fileKey: Uint8Array, stanzas: readonly Stanza[], plaintext: Uint8Array): Uint8Array {
  const headerNoMac = encodeHeaderNoMac(stanzas);
  const mac = headerMac(fileKey, headerNoMac);
  const nonce = new Uint8Array(randomBytes(16));
  const key = hkdf(fileKey, nonce, "payload");
  const parts: Uint8Array[] = [headerNoMac, new TextEncoder().encode(` ${b64Encode(mac)}\n`), nonce];
  let counter = 0;
  for (let offset = 0; ; offset += CHUNK, counter++) {
    const last = offset + CHUNK >= plaintext.length;
    parts.push(seal(key, plaintext.subarray(offset, offset + CHUNK), chunkNonce(counter, last)));
    if (last) break;
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Verify the header MAC and decrypt the payload. Throws with a reason on any failure:
 * by now the file key is known, so the file is ours and damaged.
 */
export function decryptWithFileKey(fileKey: Uint8Array, file: ParsedFile): Uint8Array {
  const mac = headerMac(fileKey, file.headerNoMac);
  if (!timingSafeEqual(mac, file.mac)) throw new Error("bad header MAC (the age file was modified)");
  const { payload } = file;
  if (payload.length < 16) throw new Error("payload truncated");
  const key = hkdf(fileKey, payload.subarray(0, 16), "payload");
  const body = payload.subarray(16);
  const out: Uint8Array[] = [];
  let counter = 0;
  for (let offset = 0; ; offset += CHUNK + TAG, counter++) {
    const last = offset + CHUNK + TAG >= body.length;
    const chunk = body.subarray(offset, offset + CHUNK + TAG);
    const plain = open(key, chunk, chunkNonce(counter, last));
    if (plain === null) throw new Error("payload authentication failed (the age file was modified)");
    // Only an entirely empty file may end in an empty chunk.
    if (last && plain.length === 0 && counter > 0) throw new Error("payload ends with an empty chunk");
    out.push(plain);
    if (last) break;
  }
  return new Uint8Array(Buffer.concat(out));
}
