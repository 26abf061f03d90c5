import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromJSON, loadSync, type MessageTypeDefinition, type ServiceDefinition } from "@grpc/proto-loader";
import { KEYSERVICE_PROTO_JSON, PROTO_LOADER_OPTIONS } from "../../src/keyservice/keyservice-proto.js";
import { ROOT } from "../helpers/paths.js";

const PROTO_FILE = join(ROOT, "src/keyservice/keyservice.proto");
const MESSAGES = [
  "Key",
  "PgpKey",
  "KmsKey",
  "GcpKmsKey",
  "VaultKey",
  "AzureKeyVaultKey",
  "AgeKey",
  "HckmsKey",
  "EncryptRequest",
  "EncryptResponse",
  "DecryptRequest",
  "DecryptResponse",
];

describe("keyservice protocol definition", () => {
  const fromFile = loadSync(PROTO_FILE, { ...PROTO_LOADER_OPTIONS });
  const embedded = fromJSON(KEYSERVICE_PROTO_JSON as never, { ...PROTO_LOADER_OPTIONS });

  it("the embedded descriptor defines exactly the .proto file's messages and service", () => {
    expect(Object.keys(embedded).sort()).toEqual(Object.keys(fromFile).sort());
    expect(Object.keys(embedded).sort()).toEqual([...MESSAGES, "KeyService"].sort());
  });

  it.each(MESSAGES)("message %s has the same fields, numbers and types in both", (name) => {
    const a = (embedded[name] as MessageTypeDefinition<object, object>).type as unknown as { field: unknown[]; oneofDecl: unknown[]; nestedType: unknown[] };
    const b = (fromFile[name] as MessageTypeDefinition<object, object>).type as unknown as typeof a;
    expect(a.field).toEqual(b.field);
    expect(a.oneofDecl).toEqual(b.oneofDecl);
    expect(a.nestedType).toEqual(b.nestedType);
  });

  it("uses SOPS's unpackaged method paths /KeyService/Encrypt and /KeyService/Decrypt", () => {
    const service = embedded["KeyService"] as ServiceDefinition;
    expect(service["Encrypt"]!.path).toBe("/KeyService/Encrypt");
    expect(service["Decrypt"]!.path).toBe("/KeyService/Decrypt");
    const fileService = fromFile["KeyService"] as ServiceDefinition;
    expect(Object.keys(service)).toEqual(Object.keys(fileService));
  });

  it("keeps SOPS's field numbers for the Key oneof (wire compatibility)", () => {
    const key = (embedded["Key"] as MessageTypeDefinition<object, object>).type as unknown as { field: { name: string; number: number }[] };
    expect(Object.fromEntries(key.field.map((f) => [f.name, f.number]))).toEqual({
      kms_key: 1,
      pgp_key: 2,
      gcp_kms_key: 3,
      azure_keyvault_key: 4,
      vault_key: 5,
      age_key: 6,
      hckms_key: 7,
    });
  });
});
