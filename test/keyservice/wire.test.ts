import { describe, expect, it } from "vitest";
import { listenEndpoint, parseKeyServiceUri, withPort } from "../../src/keyservice/address.js";
import { fromWireKey, toWireKey, wireMember } from "../../src/keyservice/wire.js";
import { descriptorFor } from "../../src/keys/registry.js";
import { UsageError } from "../../src/errors.js";

const AGE = "age15j0zeekv7gjstl44w23quckkg7d59jkd36nkrzrn9g7zrj3awgasvxea05";
const FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";

/** A MasterKey parsed from its on-disk entry, as a file read would produce it. */
function keyOf(type: string, record: Record<string, unknown>) {
  return descriptorFor(type)!.fromRecord(record as never);
}

describe("wire keys", () => {
  const cases: [string, Record<string, unknown>, string, Record<string, unknown>][] = [
    ["age", { recipient: AGE }, "age_key", { recipient: AGE }],
    ["pgp", { fp: FP }, "pgp_key", { fingerprint: FP }],
    [
      "kms",
      { arn: "arn:aws:kms:us-east-1:123456789012:key/k1", role: "arn:aws:iam::123456789012:role/r", context: { app: "x", env: "prod" }, aws_profile: "dev" },
      "kms_key",
      { arn: "arn:aws:kms:us-east-1:123456789012:key/k1", role: "arn:aws:iam::123456789012:role/r", context: { app: "x", env: "prod" }, aws_profile: "dev" },
    ],
    ["gcp_kms", { resource_id: "projects/p/locations/global/keyRings/r/cryptoKeys/k" }, "gcp_kms_key", { resource_id: "projects/p/locations/global/keyRings/r/cryptoKeys/k" }],
    ["azure_kv", { vault_url: "https://v.vault.azure.net", name: "k", version: "abc" }, "azure_keyvault_key", { vault_url: "https://v.vault.azure.net", name: "k", version: "abc" }],
    ["hc_vault", { vault_address: "https://vault:8200", engine_path: "transit", key_name: "k" }, "vault_key", { vault_address: "https://vault:8200", engine_path: "transit", key_name: "k" }],
  ];

  it.each(cases)("%s keys map to SOPS's %s fields and back", (type, record, member, body) => {
    const key = keyOf(type, record);
    const wire = toWireKey(key);
    expect(wire.key_type).toBe(member);
    expect((wire as Record<string, unknown>)[member]).toEqual(body);
    expect(fromWireKey(wire)).toEqual(key);
  });

  it("a KMS key without role, context or profile sends SOPS's empty defaults", () => {
    const wire = toWireKey(keyOf("kms", { arn: "arn:aws:kms:us-east-1:123456789012:key/k1" }));
    expect(wire.kms_key).toEqual({ arn: "arn:aws:kms:us-east-1:123456789012:key/k1", role: "", context: {}, aws_profile: "" });
  });

  it("reads a decoded message whose oneof name is absent (set member found by value)", () => {
    expect(wireMember({ age_key: { recipient: AGE } })).toBe("age_key");
    expect(fromWireKey({ age_key: { recipient: AGE } })).toEqual(keyOf("age", { recipient: AGE }));
  });

  it("refuses an empty key", () => {
    expect(() => fromWireKey({})).toThrow(UsageError);
    expect(() => fromWireKey(null)).toThrow(/names no key/);
  });

  it("passes hckms keys through without a local client", () => {
    expect(fromWireKey({ key_type: "hckms_key", hckms_key: { key_id: "tr-west-1:abc" } })).toEqual({ type: "hckms", id: "tr-west-1:abc", fields: { key_id: "tr-west-1:abc" } });
  });
});

describe("key service addresses", () => {
  it("parses SOPS's tcp:// and unix:// URIs into gRPC targets", () => {
    expect(parseKeyServiceUri("tcp://127.0.0.1:5000")).toMatchObject({ network: "tcp", target: "127.0.0.1:5000", display: "tcp://127.0.0.1:5000" });
    expect(parseKeyServiceUri("tcp://keys.example.com:5000/")).toMatchObject({ target: "keys.example.com:5000" });
    expect(parseKeyServiceUri("tcp://[::1]:5000")).toMatchObject({ target: "[::1]:5000" });
    expect(parseKeyServiceUri("unix:///run/sops.sock")).toMatchObject({ network: "unix", address: "/run/sops.sock", target: "unix:///run/sops.sock" });
  });

  it.each(["127.0.0.1:5000", "http://x:1", "tcp://nohost", "tcp://h:port", "unix://relative.sock"])("rejects %s with a usage error", (uri) => {
    expect(() => parseKeyServiceUri(uri)).toThrow(UsageError);
  });

  it("resolves the server's --network/--address like SOPS (':PORT' = all interfaces, relative sockets from cwd)", () => {
    expect(listenEndpoint("tcp", "127.0.0.1:5000", "/w").target).toBe("127.0.0.1:5000");
    expect(listenEndpoint("tcp", ":5000", "/w").target).toBe("0.0.0.0:5000");
    expect(listenEndpoint("unix", "ks.sock", "/w")).toMatchObject({ address: "/w/ks.sock", target: "unix:///w/ks.sock" });
    expect(() => listenEndpoint("udp", "x", "/w")).toThrow(/--network/);
    expect(() => listenEndpoint("tcp", "localhost", "/w")).toThrow(UsageError);
    expect(withPort(listenEndpoint("tcp", "127.0.0.1:0", "/w"), 4321).display).toBe("tcp://127.0.0.1:4321");
  });
});
