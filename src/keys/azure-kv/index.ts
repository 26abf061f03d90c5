import { UsageError } from "../../errors.js";
import { entryRecord, splitRefs, stringField } from "../network-record.js";
import type { KeyContext, KeyDescriptor, KeySourceClient, MasterKey } from "../types.js";

/** SOPS's key URL pattern: vault URL, key name, optional `/version`. */
const URL_RE = /^(https:\/\/[^/]+)\/keys\/([^/]+)(\/[^/]*)?$/;

/** The typed fields of an `azure_kv` master key. */
export interface AzureKeyFields {
  /** `https://NAME.vault.azure.net` (or a Managed HSM `https://NAME.managedhsm.azure.net`). */
  readonly vaultUrl: string;
  readonly name: string;
  /** Empty until resolved (see {@link AzureKeySourceClient.resolve}). */
  readonly version: string;
}

/**
 * The Azure client's extra ability: complete a key whose URL omits the version with the
 * key's current version, as SOPS does when it reads `--azure-kv` / `.sops.yaml`. Call it
 * before `wrap` so the recorded `version` pins the version that wrapped the data key.
 */
export interface AzureKeySourceClient extends KeySourceClient {
  resolve(key: MasterKey, ctx: KeyContext): Promise<MasterKey>;
}

/** Build an `azure_kv` master key. */
export function makeAzureKey(f: AzureKeyFields): MasterKey {
  return {
    type: "azure_kv",
    id: `${f.vaultUrl}/keys/${f.name}/${f.version}`,
    fields: { name: f.name, vault_url: f.vaultUrl, version: f.version },
  };
}

/** Parse one key URL `https://NAME.vault.azure.net/keys/KEY[/VERSION]`. Throws UsageError. */
export function parseAzureKeyUrl(url: string): MasterKey {
  const m = URL_RE.exec(url.trim());
  if (!m) {
    throw new UsageError(`invalid Azure Key Vault key URL ${JSON.stringify(url)}`, {
      hint: "use https://VAULT.vault.azure.net/keys/KEY or https://VAULT.vault.azure.net/keys/KEY/VERSION",
    });
  }
  const version = m[3] && m[3].length > 1 ? m[3].slice(1) : "";
  return makeAzureKey({ vaultUrl: m[1] as string, name: m[2] as string, version });
}

/** Read the typed fields back from a master key made by this module. */
export function azureFieldsOf(key: MasterKey): AzureKeyFields {
  return {
    vaultUrl: String(key.fields.vault_url ?? ""),
    name: String(key.fields.name ?? ""),
    version: String(key.fields.version ?? ""),
  };
}

/** Azure Key Vault (`azure_kv` entries): light half; the SDK loads only through `load()`. */
export const descriptor: KeyDescriptor = {
  type: "azure_kv",
  label: "Azure Key Vault",
  offline: false,
  hasCreatedAt: true,
  parseRefs: (input) => splitRefs(input).map(parseAzureKeyUrl),
  fromRecord: (record) =>
    makeAzureKey({
      vaultUrl: stringField(record, "vault_url", "azure_kv", true) as string,
      name: stringField(record, "name", "azure_kv", true) as string,
      version: stringField(record, "version", "azure_kv") ?? "",
    }),
  toRecord(wrapped) {
    const f = azureFieldsOf(wrapped.key);
    return entryRecord(wrapped, { name: f.name, vault_url: f.vaultUrl, version: f.version });
  },
  load: async (): Promise<KeySourceClient> => (await import("./client.js")).client,
};
