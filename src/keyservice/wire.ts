/**
 * Mapping between sobre's MasterKey and the key service's wire `Key` message. Both sides
 * use the on-disk field names (`recipient`, `fp`, `arn`, `resource_id`, …) as the common
 * vocabulary, so a wire key becomes a MasterKey through the registry's own
 * `descriptor.fromRecord`, exactly as if it had been read from a file.
 */
import { UsageError } from "../errors.js";
import type { RawRecord } from "../metadata/raw.js";
import { descriptorFor } from "../keys/registry.js";
import type { KeyType, MasterKey } from "../keys/types.js";

export interface WireKmsKey {
  arn: string;
  role: string;
  context: Record<string, string>;
  aws_profile: string;
}

/** The `Key` message as proto-loader decodes it (`oneofs: true` names the member set). */
export interface WireKey {
  key_type?: WireKeyMember | null;
  kms_key?: WireKmsKey | null;
  pgp_key?: { fingerprint: string } | null;
  gcp_kms_key?: { resource_id: string } | null;
  azure_keyvault_key?: { vault_url: string; name: string; version: string } | null;
  vault_key?: { vault_address: string; engine_path: string; key_name: string } | null;
  age_key?: { recipient: string } | null;
  hckms_key?: { key_id: string } | null;
}

export type WireKeyMember = "kms_key" | "pgp_key" | "gcp_kms_key" | "azure_keyvault_key" | "vault_key" | "age_key" | "hckms_key";

/** Metadata list name ↔ oneof member, and the on-disk fields each member carries. */
const MEMBERS: Record<KeyType, { member: WireKeyMember; fields: readonly string[] }> = {
  kms: { member: "kms_key", fields: ["arn", "role", "context", "aws_profile"] },
  pgp: { member: "pgp_key", fields: ["fp"] },
  gcp_kms: { member: "gcp_kms_key", fields: ["resource_id"] },
  azure_kv: { member: "azure_keyvault_key", fields: ["vault_url", "name", "version"] },
  hc_vault: { member: "vault_key", fields: ["vault_address", "engine_path", "key_name"] },
  age: { member: "age_key", fields: ["recipient"] },
  hckms: { member: "hckms_key", fields: ["key_id"] },
};

const TYPE_OF_MEMBER = new Map<string, KeyType>(Object.entries(MEMBERS).map(([type, m]) => [m.member, type as KeyType]));

/** On-disk field name → wire field name, where they differ. */
const WIRE_NAME: Record<string, string> = { fp: "fingerprint" };

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" ? v : String(v);
  }
  return out;
}

/** The wire `Key` for a master key (what SOPS's `KeyFromMasterKey` sends). */
export function toWireKey(key: MasterKey): WireKey {
  const spec = MEMBERS[key.type];
  if (!spec) throw new UsageError(`key type ${key.type} cannot be sent to a key service`);
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const wireName = WIRE_NAME[field] ?? field;
    body[wireName] = field === "context" ? stringMap(key.fields[field]) : str(key.fields[field]);
  }
  // Identity-only keys may carry their id alone (age recipient, PGP fingerprint).
  if (key.type === "age" && !body["recipient"]) body["recipient"] = key.id;
  if (key.type === "pgp" && !body["fingerprint"]) body["fingerprint"] = key.id;
  return { key_type: spec.member, [spec.member]: body } as WireKey;
}

/** Which member of the oneof is set, or undefined for an empty `Key`. */
export function wireMember(wire: WireKey | null | undefined): WireKeyMember | undefined {
  if (!wire) return undefined;
  if (wire.key_type) return wire.key_type;
  return (Object.keys(MEMBERS) as KeyType[]).map((t) => MEMBERS[t].member).find((m) => wire[m]);
}

/**
 * The master key a wire `Key` names. Throws UsageError for an empty key; a type sobre
 * has no descriptor for (hckms) comes back as a bare MasterKey the caller can refuse.
 */
export function fromWireKey(wire: WireKey | null | undefined): MasterKey {
  const member = wireMember(wire);
  if (!member || !wire) throw new UsageError("the request names no key");
  const type = TYPE_OF_MEMBER.get(member)!;
  const body = (wire[member] ?? {}) as Record<string, unknown>;
  const record: RawRecord = {};
  for (const field of MEMBERS[type].fields) {
    const value = body[WIRE_NAME[field] ?? field];
    if (field === "context") {
      const ctx = stringMap(value);
      if (Object.keys(ctx).length > 0) record[field] = ctx;
    } else if (typeof value === "string" && (value !== "" || field === "aws_profile" || field === "version")) {
      record[field] = value;
    }
  }
  const descriptor = descriptorFor(type);
  if (!descriptor) return { type, id: str(record["key_id"]), fields: record };
  return descriptor.fromRecord(record);
}

/** A short, secret-free description for logs and prompts (`age age1…`, `PGP 1022…`). */
export function describeKey(key: MasterKey): string {
  return `${descriptorFor(key.type)?.label ?? key.type} ${key.id}`;
}
