import { FormatError, inFile } from "../errors.js";
import { LOAD_ORDER, descriptorFor } from "../keys/registry.js";
import { SELECTION_KEYS, type SelectionOptions } from "../tree/selection.js";
import type { MapNode } from "../tree/types.js";
import { nodeToRaw, type RawRecord, type RawValue } from "./raw.js";
import type { Metadata, StoredKey } from "./types.js";

/**
 * Typed view of a `sops` block in any layout SOPS ever wrote: field names matched
 * case-insensitively, numbers and bools accepted as strings (dotenv/INI), empty or
 * `null` lists ignored, unknown key types kept as raw records.
 */
export function readMetadata(node: MapNode, file: string): Metadata {
  const raw = lowerKeys(nodeToRaw(node, file) as RawRecord);
  const str = (name: string): string => {
    const v = raw[name];
    if (v === undefined || v === null) return "";
    // A mapping or list here is hand-edited or hostile; String() on it could even throw.
    if (typeof v === "object" && !(v instanceof Uint8Array)) {
      throw new FormatError(inFile(file, `sops.${name} must be a single value, not a ${Array.isArray(v) ? "list" : "mapping"}`), {
        hint: "the metadata was edited by hand; restore it from version control",
      });
    }
    return String(v);
  };
  const selection: SelectionOptions = {};
  for (const [prop, key] of Object.entries(SELECTION_KEYS) as [keyof SelectionOptions, string][]) {
    const v = str(key);
    if (v) selection[prop] = v;
  }
  const shamir = Number(str("shamir_threshold") || "0");
  if (!Number.isInteger(shamir) || shamir < 0) throw new FormatError(inFile(file, "sops.shamir_threshold is not a number"));
  return {
    lastModified: str("lastmodified"),
    mac: str("mac"),
    version: str("version"),
    selection,
    macOnlyEncrypted: ["true", "True", "TRUE", "1"].includes(str("mac_only_encrypted")),
    shamirThreshold: shamir,
    keyGroups: readGroups(raw, file),
  };
}

function lowerKeys(record: RawRecord): RawRecord {
  const out: RawRecord = {};
  for (const [k, v] of Object.entries(record)) out[k.toLowerCase()] = v;
  return out;
}

function asList(value: RawValue | undefined): RawRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is RawRecord => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array));
}

function readGroup(record: RawRecord, file: string): StoredKey[] {
  const group: StoredKey[] = [];
  const types = [...LOAD_ORDER, ...Object.keys(record).filter((k) => !LOAD_ORDER.includes(k as never))];
  for (const type of types) {
    for (const entry of asList(record[type])) group.push(storedKey(type, lowerKeys(entry), file));
  }
  return group;
}

function readGroups(raw: RawRecord, file: string): StoredKey[][] {
  const topLevel: RawRecord = {};
  for (const type of LOAD_ORDER) if (asList(raw[type]).length > 0) topLevel[type] = raw[type]!;
  if (Object.keys(topLevel).length > 0) return [readGroup(topLevel, file)];
  return asList(raw["key_groups"]).map((g) => readGroup(lowerKeys(g), file).filter(Boolean));
}

function storedKey(type: string, record: RawRecord, file: string): StoredKey {
  const descriptor = descriptorFor(type);
  if (!descriptor) return { type, record };
  const key = descriptor.fromRecord(record);
  const known = new Set([...Object.keys(key.fields), "enc", "created_at"]);
  const extra: RawRecord = {};
  for (const [k, v] of Object.entries(record)) if (!known.has(k)) extra[k] = v;
  const enc = record["enc"];
  if (typeof enc !== "string" || enc === "") {
    throw new FormatError(inFile(file, `a ${descriptor.label} key entry (${key.id}) has no enc field`), {
      hint: "the metadata was edited by hand; restore it from version control",
    });
  }
  const createdAt = record["created_at"];
  return {
    type,
    record,
    wrapped: {
      key,
      enc,
      ...(createdAt !== undefined && createdAt !== null ? { createdAt: String(createdAt) } : {}),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    },
  };
}
