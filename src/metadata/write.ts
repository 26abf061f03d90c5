import { descriptorFor } from "../keys/registry.js";
import { SELECTION_KEYS, type SelectionOptions } from "../tree/selection.js";
import type { MapNode } from "../tree/types.js";
import { rawToNode, type RawRecord, type RawValue } from "./raw.js";
import type { Metadata, StoredKey } from "./types.js";

/** Types whose list SOPS 3.13 always writes inside a key_groups item, even when empty. */
const ALWAYS_IN_GROUP = new Set(["age", "hc_vault"]);

function sorted(record: RawRecord): RawRecord {
  const out: RawRecord = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

function entryRecord(key: StoredKey): RawRecord {
  if (!key.wrapped) return key.record;
  const descriptor = descriptorFor(key.type)!;
  return sorted({ ...(key.wrapped.extra ?? {}), ...descriptor.toRecord(key.wrapped) });
}

function groupRecord(group: readonly StoredKey[], inGroupsList: boolean): RawRecord {
  const byType: Record<string, RawValue[]> = {};
  if (inGroupsList) for (const t of ALWAYS_IN_GROUP) byType[t] = [];
  for (const key of group) (byType[key.type] ??= []).push(entryRecord(key));
  return byType;
}

/** The `sops` block as SOPS 3.13 writes it: every mapping sorted, empty lists omitted. */
export function writeMetadata(meta: Metadata): MapNode {
  const out: RawRecord = {};
  if (meta.keyGroups.length === 1) {
    Object.assign(out, groupRecord(meta.keyGroups[0]!, false));
  } else if (meta.keyGroups.length > 1) {
    out["key_groups"] = meta.keyGroups.map((g) => sorted(groupRecord(g, true)));
    out["shamir_threshold"] = BigInt(meta.shamirThreshold || meta.keyGroups.length);
  }
  out["lastmodified"] = meta.lastModified;
  out["mac"] = meta.mac;
  if (meta.macOnlyEncrypted) out["mac_only_encrypted"] = true;
  for (const [prop, key] of Object.entries(SELECTION_KEYS) as [keyof SelectionOptions, string][]) {
    const v = meta.selection[prop];
    if (v) out[key] = v;
  }
  out["version"] = meta.version;
  return rawToNode(sorted(out)) as MapNode;
}
