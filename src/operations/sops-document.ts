import { encryptValue, parseEnc, decryptParsed } from "../crypto/cipher.js";
import { macEquals } from "../crypto/mac.js";
import { EXIT, ExitError, FormatError, IntegrityError, inFile } from "../errors.js";
import { readMetadata } from "../metadata/read.js";
import { macAad } from "../metadata/timestamps.js";
import type { Metadata } from "../metadata/types.js";
import { writeMetadata } from "../metadata/write.js";
import type { MapNode } from "../tree/types.js";

/** Does the first document carry a top-level `sops` entry? */
export function hasMetadata(documents: readonly MapNode[]): boolean {
  const first = documents[0];
  return !!first && first.items.some((i) => i.kind === "entry" && i.key === "sops");
}

/** Take the metadata from the first document and strip `sops` from every document. */
export function detachMetadata(documents: MapNode[], file: string): Metadata {
  const first = documents[0];
  const entry = first?.items.find((i) => i.kind === "entry" && i.key === "sops");
  if (!entry || entry.kind !== "entry") {
    throw new ExitError(EXIT.ErrorGeneric, inFile(file, "sops metadata not found"), {
      hint: "this file is not encrypted; encrypt it with `sobre encrypt`",
    });
  }
  if (entry.value.kind !== "map") throw new FormatError(inFile(file, "the sops metadata is not a mapping"));
  const meta = readMetadata(entry.value, file);
  for (const doc of documents) doc.items = doc.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
  return meta;
}

/** Append the metadata as the last key of every document (SOPS writes a copy in each). */
export function attachMetadata(documents: MapNode[], meta: Metadata): void {
  const node = writeMetadata(meta);
  for (const doc of documents) {
    doc.items = doc.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
    doc.items.push({ kind: "entry", key: "sops", value: node });
  }
}

/** Encrypt the MAC hex under the data key with `lastmodified` as AAD. */
export function sealMac(dataKey: Uint8Array, macHex: string, lastModified: string): string {
  return encryptValue(dataKey, Buffer.from(macHex, "utf8"), macAad(lastModified) ?? lastModified, "str");
}

/** Check the stored MAC against the recomputed one (SOPS exits 51 on mismatch). */
export function verifyMac(dataKey: Uint8Array, meta: Metadata, computed: string, file: string): void {
  if (!meta.mac) {
    throw new IntegrityError(inFile(file, "the file has no MAC"), { exitCode: EXIT.MacMismatch, hint: "if you trust the file, decrypt with --ignore-mac and re-encrypt it" });
  }
  const parsed = parseEnc(meta.mac);
  const aad = macAad(meta.lastModified);
  let stored: string | undefined;
  if (parsed && aad) {
    try {
      stored = decryptParsed(dataKey, parsed, aad).toString("utf8");
    } catch {
      stored = undefined;
    }
  }
  if (stored === undefined) {
    throw new IntegrityError(inFile(file, "the MAC could not be decrypted (lastmodified or mac was changed)"), {
      exitCode: EXIT.MacMismatch,
      hint: "the metadata was tampered with or damaged; restore the file from version control, or use --ignore-mac if you trust it",
    });
  }
  if (!macEquals(stored, computed)) {
    throw new IntegrityError(inFile(file, "MAC mismatch: the values were changed outside sobre/sops"), {
      exitCode: EXIT.MacMismatch,
      hint: "restore the file from version control, or use --ignore-mac if you trust the change",
    });
  }
}
