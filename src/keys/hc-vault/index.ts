import { UsageError } from "../../errors.js";
import { entryRecord, splitRefs, stringField } from "../network-record.js";
import type { KeyDescriptor, KeySourceClient, MasterKey } from "../types.js";

/** The typed fields of an `hc_vault` master key. */
export interface VaultKeyFields {
  /** `https://vault.example.com:8200` (scheme, host, port; no path). */
  readonly vaultAddress: string;
  /** Transit mount path, may contain slashes (`transit`, `team/transit`). */
  readonly enginePath: string;
  readonly keyName: string;
}

/** Build an `hc_vault` master key; `id` is SOPS's `ToString` (the key URI). */
export function makeVaultKey(f: VaultKeyFields): MasterKey {
  return {
    type: "hc_vault",
    id: `${f.vaultAddress}/v1/${f.enginePath}/keys/${f.keyName}`,
    fields: { engine_path: f.enginePath, key_name: f.keyName, vault_address: f.vaultAddress },
  };
}

const URI_HINT = "use https://vault.example.com:8200/v1/ENGINE_PATH/keys/KEY_NAME";

/**
 * Parse a transit key URI `https://host:8200/v1/<engine path>/keys/<name>` as SOPS
 * does (including its refusal of prefixed URLs like `/vault/v1/…`). Throws UsageError.
 */
export function parseVaultKeyUri(uri: string): MasterKey {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new UsageError(`invalid Vault key URI ${JSON.stringify(uri)}: missing scheme or host`, { hint: URI_HINT });
  }
  const path = u.pathname;
  if (/\/[^/]+\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(path)) {
    throw new UsageError(`invalid Vault key URI ${JSON.stringify(uri)}: a Vault behind a path prefix is not supported`, { hint: URI_HINT });
  }
  if (!/\/v\d+\/[^/]+\/[^/]+\/[^/]+/.test(path)) {
    throw new UsageError(`invalid Vault key URI ${JSON.stringify(uri)}`, { hint: URI_HINT });
  }
  const dirs = path.replace(/^\/+|\/+$/g, "").split("/");
  const keyName = dirs[dirs.length - 1] as string;
  const enginePath = dirs.slice(1, -2).filter((d) => d !== "").join("/");
  return makeVaultKey({ vaultAddress: `${u.protocol}//${u.host}`, enginePath, keyName });
}

/** Read the typed fields back from a master key made by this module. */
export function vaultFieldsOf(key: MasterKey): VaultKeyFields {
  return {
    vaultAddress: String(key.fields.vault_address ?? ""),
    enginePath: String(key.fields.engine_path ?? ""),
    keyName: String(key.fields.key_name ?? ""),
  };
}

/** HashiCorp Vault / OpenBao transit (`hc_vault` entries): light half. */
export const descriptor: KeyDescriptor = {
  type: "hc_vault",
  label: "Vault transit",
  offline: false,
  hasCreatedAt: true,
  parseRefs: (input) => splitRefs(input).map(parseVaultKeyUri),
  fromRecord: (record) =>
    makeVaultKey({
      vaultAddress: stringField(record, "vault_address", "hc_vault", true) as string,
      enginePath: stringField(record, "engine_path", "hc_vault", true) as string,
      keyName: stringField(record, "key_name", "hc_vault", true) as string,
    }),
  toRecord(wrapped) {
    const f = vaultFieldsOf(wrapped.key);
    return entryRecord(wrapped, { engine_path: f.enginePath, key_name: f.keyName, vault_address: f.vaultAddress });
  },
  load: async (): Promise<KeySourceClient> => (await import("./client.js")).client,
};
