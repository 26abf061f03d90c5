import { UsageError } from "../../errors.js";
import { entryRecord, splitRefs, stringField } from "../network-record.js";
import type { KeyDescriptor, KeySourceClient, MasterKey } from "../types.js";

/** SOPS's resource id pattern for a Cloud KMS crypto key. */
const RESOURCE_RE = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

/** Whether `id` is a valid Cloud KMS crypto key resource id. */
export function isGcpResourceId(id: string): boolean {
  return RESOURCE_RE.test(id);
}

/** Build a `gcp_kms` master key from its resource id. Throws UsageError when malformed. */
export function makeGcpKey(resourceId: string): MasterKey {
  if (!isGcpResourceId(resourceId)) {
    throw new UsageError(`invalid GCP KMS resource id ${JSON.stringify(resourceId)}`, {
      hint: "use projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY",
    });
  }
  return { type: "gcp_kms", id: resourceId, fields: { resource_id: resourceId } };
}

/** GCP Cloud KMS (`gcp_kms` entries): light half; the SDK loads only through `load()`. */
export const descriptor: KeyDescriptor = {
  type: "gcp_kms",
  label: "GCP KMS",
  offline: false,
  hasCreatedAt: true,
  parseRefs: (input) => splitRefs(input).map(makeGcpKey),
  fromRecord(record) {
    // Validated at unwrap time (like SOPS), so a damaged entry fails only that key.
    const id = stringField(record, "resource_id", "gcp_kms", true) as string;
    return { type: "gcp_kms", id, fields: { resource_id: id } };
  },
  toRecord: (wrapped) => entryRecord(wrapped, { resource_id: String(wrapped.key.fields.resource_id ?? wrapped.key.id) }),
  load: async (): Promise<KeySourceClient> => (await import("./client.js")).client,
};
