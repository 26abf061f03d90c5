import { decryptParsed, parseEnc } from "../crypto/cipher.js";
import { IntegrityError, UsageError, inFile } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { Format, FormatName } from "../formats/types.js";
import { unwrapDataKey, wrapForGroups } from "../keys/groups.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import { macAad } from "../metadata/timestamps.js";
import type { Metadata, StoredKey } from "../metadata/types.js";
import type { MapNode } from "../tree/types.js";
import { attachMetadata, detachMetadata } from "./sops-document.js";

/** An encrypted file parsed but not decrypted: values stay ENC[…] strings. */
export interface SealedFile {
  format: Format;
  documents: MapNode[];
  metadata: Metadata;
}

/** Parse an encrypted file and take its metadata off, without touching any value. */
export async function loadSealedFile(input: Uint8Array, file: string, formatName: FormatName): Promise<SealedFile> {
  const format = await loadFormat(formatName);
  const documents = await format.parse(input, { file, mode: "encrypted" });
  const metadata = detachMetadata(documents, file);
  return { format, documents, metadata };
}

/** Stable identity of a key for comparisons (type + id; PGP fingerprints case-insensitive). */
export function keyIdentity(type: string, id: string): string {
  const norm = type === "pgp" ? id.replace(/\s+/g, "").toUpperCase() : id;
  return `${type}/${norm}`;
}

export function storedIdentity(key: StoredKey): string {
  return keyIdentity(key.type, key.wrapped?.key.id ?? JSON.stringify(key.record));
}

/** The master keys of stored groups; a key type sobre cannot use cannot be re-wrapped. */
export function masterKeysOf(groups: readonly (readonly StoredKey[])[], file: string): MasterKey[][] {
  return groups.map((group) =>
    group.map((k) => {
      if (!k.wrapped) throw new UsageError(inFile(file, `the file has a ${k.type} key, which sobre cannot use`), { hint: "remove that key with sops, or keep using sops for this file" });
      return k.wrapped.key;
    }),
  );
}

export interface RekeyOptions {
  sealed: SealedFile;
  file: string;
  /** The new recipients, per group. */
  groups: MasterKey[][];
  /** 0 = all groups. */
  threshold: number;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
  indent?: number;
}

/**
 * Give the file new recipients without touching its values: recover the data key, wrap
 * it for the new key groups and re-emit. Values, `lastmodified` and `mac` stay
 * byte-identical. With one group before and after, entries of keys that stay keep their
 * `enc` too, and only added keys are wrapped; a change of Shamir layout re-splits the
 * data key and wraps every share anew (as SOPS does).
 */
export async function rekeyFile(opts: RekeyOptions): Promise<Uint8Array> {
  const { sealed } = opts;
  const { metadata } = sealed;
  const dataKey = await unwrapDataKey(metadata.keyGroups, metadata.shamirThreshold, opts.keyContext, opts.decryptionOrder);
  try {
    checkDataKey(dataKey, metadata, opts.file);
    const threshold = opts.groups.length > 1 ? opts.threshold : 0;
    if (opts.groups.length === 1 && metadata.keyGroups.length === 1) {
      metadata.keyGroups = [await keepOrWrap(dataKey, metadata.keyGroups[0]!, opts.groups[0]!, opts.keyContext)];
    } else {
      metadata.keyGroups = await wrapForGroups(dataKey, opts.groups, threshold, opts.keyContext);
    }
    metadata.shamirThreshold = threshold;
    attachMetadata(sealed.documents, metadata);
    return sealed.format.emit(sealed.documents, { file: opts.file, ...(opts.indent !== undefined ? { indent: opts.indent } : {}) });
  } finally {
    dataKey.fill(0);
  }
}

async function keepOrWrap(dataKey: Uint8Array, current: readonly StoredKey[], wanted: readonly MasterKey[], ctx: KeyContext): Promise<StoredKey[]> {
  const existing = new Map(current.map((k) => [storedIdentity(k), k]));
  const fresh = wanted.filter((k) => !existing.has(keyIdentity(k.type, k.id)));
  const wrapped = fresh.length > 0 ? (await wrapForGroups(dataKey, [fresh], 0, ctx))[0]! : [];
  let next = 0;
  return wanted.map((k) => existing.get(keyIdentity(k.type, k.id)) ?? wrapped[next++]!);
}

/**
 * Make sure the recovered key is the file's (a wrong Shamir combination yields garbage):
 * the stored MAC must decrypt under it. Cheap, and nothing is re-wrapped otherwise.
 */
function checkDataKey(dataKey: Uint8Array, metadata: Metadata, file: string): void {
  const parsed = parseEnc(metadata.mac);
  const aad = macAad(metadata.lastModified);
  try {
    if (!parsed || aad === undefined) throw new Error("no mac");
    decryptParsed(dataKey, parsed, aad);
  } catch {
    throw new IntegrityError(inFile(file, "the recovered data key does not open the file's MAC"), {
      hint: "the metadata is damaged or was tampered with; restore the file from version control",
    });
  }
}
