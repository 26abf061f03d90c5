import { FormatError } from "../../errors.js";
import type { RawRecord } from "../../metadata/raw.js";
import type { KeyDescriptor, MasterKey, WrappedKey } from "../types.js";
import { parseFingerprint } from "./fingerprint.js";

/** Build the MasterKey for a fingerprint (already normalized). */
function pgpKey(fp: string): MasterKey {
  return { type: "pgp", id: fp, fields: { fp } };
}

/**
 * Read `fp` case-insensitively, like SOPS 3.13's metadata decoder. Any non-empty text is
 * accepted: SOPS never validated it (a file made with `--pgp user@example.com` stores that
 * string), and gpg decrypts by the message's own recipient ids, not by `fp`.
 */
function readFp(record: RawRecord): string {
  const name = Object.keys(record).find((k) => k.toLowerCase() === "fp");
  const value = name === undefined ? undefined : record[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new FormatError("pgp entry in sops metadata has no fingerprint (`fp`)", {
      hint: "restore the `fp` field of the entry from version control",
    });
  }
  return value;
}

/** Descriptor of the `pgp` key source: GnuPG first, built-in OpenPGP (openpgp.js) as fallback. */
export const descriptor: KeyDescriptor = {
  type: "pgp",
  label: "PGP",
  offline: true,
  hasCreatedAt: true,

  parseRefs(input: string): MasterKey[] {
    // Empty segments (trailing comma in SOPS_PGP_FP) are skipped rather than becoming
    // an empty fingerprint, which SOPS would store and later fail on.
    return input
      .split(",")
      .filter((part) => part.trim() !== "")
      .map((part) => pgpKey(parseFingerprint(part)));
  },

  fromRecord(record: RawRecord): MasterKey {
    return pgpKey(readFp(record));
  },

  toRecord(wrapped: WrappedKey): RawRecord {
    const entry: RawRecord = { ...(wrapped.extra ?? {}) };
    if (wrapped.createdAt !== undefined) entry.created_at = wrapped.createdAt;
    entry.enc = wrapped.enc;
    entry.fp = wrapped.key.id;
    // SOPS 3.13 emits entry keys sorted (created_at, enc, fp).
    const sorted: RawRecord = {};
    for (const k of Object.keys(entry).sort()) sorted[k] = entry[k] as RawRecord[string];
    return sorted;
  },

  load: () => import("./client.js").then((m) => m.client),
};
