/**
 * SOPS's key service protocol (getsops/sops v3.13.3 `keyservice/keyservice.proto`) as a
 * protobufjs JSON descriptor, embedded so the bundle and the single binary need no
 * `.proto` file at run time. `keyservice.proto` beside this file is the readable form;
 * test/keyservice/proto.test.ts proves the two describe the same messages and numbers.
 * Field names keep the proto's snake_case (proto-loader `keepCase`).
 */

type Field = { type: string; id: number; keyType?: string };

function fields(...list: [name: string, type: string, id: number][]): { fields: Record<string, Field> } {
  return { fields: Object.fromEntries(list.map(([name, type, id]) => [name, { type, id }])) };
}

/** The protocol's namespace (no package: the service's full name is `KeyService`). */
export const KEYSERVICE_PROTO_JSON = {
  nested: {
    Key: {
      oneofs: { key_type: { oneof: ["kms_key", "pgp_key", "gcp_kms_key", "azure_keyvault_key", "vault_key", "age_key", "hckms_key"] } },
      ...fields(
        ["kms_key", "KmsKey", 1],
        ["pgp_key", "PgpKey", 2],
        ["gcp_kms_key", "GcpKmsKey", 3],
        ["azure_keyvault_key", "AzureKeyVaultKey", 4],
        ["vault_key", "VaultKey", 5],
        ["age_key", "AgeKey", 6],
        ["hckms_key", "HckmsKey", 7],
      ),
    },
    PgpKey: fields(["fingerprint", "string", 1]),
    KmsKey: {
      fields: {
        arn: { type: "string", id: 1 },
        role: { type: "string", id: 2 },
        context: { keyType: "string", type: "string", id: 3 },
        aws_profile: { type: "string", id: 4 },
      },
    },
    GcpKmsKey: fields(["resource_id", "string", 1]),
    VaultKey: fields(["vault_address", "string", 1], ["engine_path", "string", 2], ["key_name", "string", 3]),
    AzureKeyVaultKey: fields(["vault_url", "string", 1], ["name", "string", 2], ["version", "string", 3]),
    AgeKey: fields(["recipient", "string", 1]),
    HckmsKey: fields(["key_id", "string", 1]),
    EncryptRequest: fields(["key", "Key", 1], ["plaintext", "bytes", 2]),
    EncryptResponse: fields(["ciphertext", "bytes", 1]),
    DecryptRequest: fields(["key", "Key", 1], ["ciphertext", "bytes", 2]),
    DecryptResponse: fields(["plaintext", "bytes", 1]),
    KeyService: {
      methods: {
        Encrypt: { requestType: "EncryptRequest", responseType: "EncryptResponse" },
        Decrypt: { requestType: "DecryptRequest", responseType: "DecryptResponse" },
      },
    },
  },
} as const;

/** proto-loader options: proto field names, bytes as Buffer, the set oneof member named. */
export const PROTO_LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true } as const;
