import { FormatError } from "../errors.js";
import type { RawRecord, RawValue } from "../metadata/raw.js";
import type { WrappedKey } from "./types.js";

/**
 * Helpers shared by the network key descriptors (kms, gcp_kms, azure_kv, hc_vault) to
 * read and write their metadata entries the way SOPS 3.13 does.
 */

/** Case-insensitive field lookup: SOPS 3.13 matches metadata field names that way. */
export function fieldOf(record: RawRecord, name: string): RawValue | undefined {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * A string field. Scalars are stringified (dotenv/INI store everything as text);
 * absent → `undefined`, or a FormatError naming the list when `required`.
 */
export function stringField(record: RawRecord, name: string, list: string, required = false): string | undefined {
  const v = fieldOf(record, name);
  if (v === undefined || v === null) {
    if (required) throw new FormatError(`sops metadata: ${list} entry has no ${name}`, { hint: "the file's sops metadata is damaged; restore it from version control" });
    return undefined;
  }
  if (typeof v === "object") {
    throw new FormatError(`sops metadata: ${list} entry field ${name} must be a string`, { hint: "the file's sops metadata is damaged; restore it from version control" });
  }
  return String(v);
}

/** A record with its keys sorted bytewise, as SOPS 3.13 writes every metadata mapping. */
export function sortedRecord(record: RawRecord): RawRecord {
  const out: RawRecord = {};
  for (const key of Object.keys(record).sort(compareBytes)) out[key] = record[key] as RawValue;
  return out;
}

function compareBytes(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/**
 * The on-disk entry: unknown fields kept from the file, then the identifying fields,
 * `created_at` and `enc`, all sorted.
 */
export function entryRecord(wrapped: WrappedKey, identifying: RawRecord): RawRecord {
  return sortedRecord({
    ...(wrapped.extra ?? {}),
    ...identifying,
    created_at: wrapped.createdAt ?? rfc3339Now(),
    enc: wrapped.enc,
  });
}

/** Go's `time.RFC3339` of now in UTC: seconds precision, `Z`. */
export function rfc3339Now(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Split a comma-separated ref list as SOPS does: spaces removed, empty items skipped. */
export function splitRefs(input: string): string[] {
  return input
    .split(",")
    .map((s) => s.replace(/\s+/g, ""))
    .filter((s) => s.length > 0);
}
