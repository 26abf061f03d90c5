import type { KeyDescriptor, KeyType } from "./types.js";
import { descriptor as age } from "./age/index.js";
import { descriptor as pgp } from "./pgp/index.js";
import { descriptor as kms } from "./aws-kms/index.js";
import { descriptor as gcpKms } from "./gcp-kms/index.js";
import { descriptor as azureKv } from "./azure-kv/index.js";
import { descriptor as hcVault } from "./hc-vault/index.js";

/**
 * Every key source sobre knows, by on-disk list name. Descriptors are light (parsing,
 * field layout); each client (SDK, binary, network) loads only through `load()`.
 * A new source = a folder under src/keys + one line here.
 */
const DESCRIPTORS: readonly KeyDescriptor[] = [kms, gcpKms, azureKv, hcVault, age, pgp];

const BY_TYPE = new Map<string, KeyDescriptor>(DESCRIPTORS.map((d) => [d.type, d]));

/** SOPS's load order of per-type lists inside a group (after decryption-order sorting). */
export const LOAD_ORDER: readonly KeyType[] = ["kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "age", "pgp"];

/** SOPS's default decryption order: offline keys first. */
export const DEFAULT_DECRYPTION_ORDER: readonly string[] = ["age", "pgp"];

export function descriptorFor(type: string): KeyDescriptor | undefined {
  return BY_TYPE.get(type);
}

export function allDescriptors(): readonly KeyDescriptor[] {
  return DESCRIPTORS;
}
