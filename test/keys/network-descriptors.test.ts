import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { EXIT, FormatError, SobreError, UsageError } from "../../src/errors.js";
import { descriptor as kms, parseEncryptionContext, parseKmsRefs } from "../../src/keys/aws-kms/index.js";
import { stsSessionName } from "../../src/keys/aws-kms/client.js";
import { descriptor as azure } from "../../src/keys/azure-kv/index.js";
import { descriptor as gcp } from "../../src/keys/gcp-kms/index.js";
import { descriptor as vault } from "../../src/keys/hc-vault/index.js";
import type { KeyDescriptor, MasterKey } from "../../src/keys/types.js";
import { ROOT } from "../helpers/paths.js";

const ARN = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE = "arn:aws:iam::123456789012:role/sops";
const CREATED = "2024-05-06T07:08:09Z";

const wrapped = (key: MasterKey, extra?: Record<string, string>) => ({ key, enc: "ENC", createdAt: CREATED, ...(extra ? { extra } : {}) });

describe("descriptors", () => {
  it.each([
    [kms, "kms"],
    [gcp, "gcp_kms"],
    [azure, "azure_kv"],
    [vault, "hc_vault"],
  ] as [KeyDescriptor, string][])("%s is a network key with created_at", (d, type) => {
    expect(d.type).toBe(type);
    expect(d.offline).toBe(false);
    expect(d.hasCreatedAt).toBe(true);
  });
});

describe("kms descriptor", () => {
  it("parses key and alias ARNs, +role, and skips blanks", () => {
    const keys = parseKmsRefs(` ${ARN} , arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/app+${ROLE},`);
    expect(keys.map((k) => k.fields)).toEqual([
      { arn: ARN, aws_profile: "" },
      { arn: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/app", aws_profile: "", role: ROLE },
    ]);
    expect(keys[1]?.id).toBe(`arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/app+${ROLE}`);
  });

  it("rejects a malformed ARN with a UsageError", () => {
    expect(() => kms.parseRefs("arn:aws:kms:eu-central-1:key/x")).toThrow(UsageError);
  });

  it("attaches context and profile from options", () => {
    const [k] = parseKmsRefs(ARN, { context: { b: "2", a: "1" }, awsProfile: "dev" });
    expect(k?.id).toBe(`${ARN}|a:1,b:2|dev`);
  });

  it("writes SOPS 3.13's sorted entry: aws_profile always, context/role only when set", () => {
    const plain = kms.toRecord(wrapped(kms.parseRefs(ARN)[0]!));
    expect(Object.keys(plain)).toEqual(["arn", "aws_profile", "created_at", "enc"]);
    expect(plain.aws_profile).toBe("");
    const full = kms.toRecord(wrapped(parseKmsRefs(`${ARN}+${ROLE}`, { context: { z: "1", a: "2" }, awsProfile: "p" })[0]!, { zzz: "kept" }));
    expect(Object.keys(full)).toEqual(["arn", "aws_profile", "context", "created_at", "enc", "role", "zzz"]);
    expect(Object.keys(full.context as object)).toEqual(["a", "z"]);
  });

  it("reads entries case-insensitively and round-trips", () => {
    const key = kms.fromRecord({ ARN: ARN, Role: ROLE, context: { k: "v" }, aws_profile: "" });
    expect(key.fields).toEqual({ arn: ARN, aws_profile: "", context: { k: "v" }, role: ROLE });
    expect(kms.fromRecord(kms.toRecord(wrapped(key))).id).toBe(key.id);
    expect(() => kms.fromRecord({ role: ROLE })).toThrow(FormatError);
    expect(() => kms.fromRecord({ arn: ARN, context: "a:b" })).toThrow(FormatError);
  });
});

describe("parseEncryptionContext", () => {
  it("parses k:v pairs", () => {
    expect(parseEncryptionContext("app:web,env:prod")).toEqual({ app: "web", env: "prod" });
    expect(parseEncryptionContext("")).toEqual({});
  });
  it.each(["app", "a:b:c", "a:b,,c:d", ":v"])("rejects %j with exit code 6", (text) => {
    let err: unknown;
    try {
      parseEncryptionContext(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SobreError);
    expect((err as SobreError).exitCode).toBe(EXIT.ErrorInvalidKMSEncryptionContextFormat);
    expect((err as SobreError).hint).toMatch(/key:value/);
  });
});

describe("stsSessionName", () => {
  it("keeps SOPS's character set and the 64-character limit", () => {
    // SOPS's class `[^a-zA-Z0-9=,.@-_]` reads `@-_` as a range, so '-' is dropped too.
    expect(stsSessionName("build-01.example.com")).toBe("sops@build01.example.com");
    expect(stsSessionName("HOST_[x]")).toBe("sops@HOST_[x]");
    expect(stsSessionName("my host!#$")).toBe("sops@myhost");
    expect(stsSessionName("h".repeat(80))).toHaveLength(64);
  });
});

describe("gcp_kms descriptor", () => {
  const id = "projects/p/locations/global/keyRings/r/cryptoKeys/k";
  it("parses resource ids and writes sorted entries", () => {
    const [k] = gcp.parseRefs(`${id}, `);
    expect(k?.id).toBe(id);
    expect(Object.keys(gcp.toRecord(wrapped(k!)))).toEqual(["created_at", "enc", "resource_id"]);
    expect(gcp.fromRecord({ resource_id: id }).id).toBe(id);
    expect(() => gcp.parseRefs("projects/p/keyRings/r")).toThrow(UsageError);
  });
});

describe("azure_kv descriptor", () => {
  it("parses key URLs with and without version, Managed HSM too", () => {
    const [a, b] = azure.parseRefs("https://v.vault.azure.net/keys/k/abc,https://h.managedhsm.azure.net/keys/k");
    expect(a?.fields).toEqual({ name: "k", vault_url: "https://v.vault.azure.net", version: "abc" });
    expect(b?.fields).toEqual({ name: "k", vault_url: "https://h.managedhsm.azure.net", version: "" });
    expect(() => azure.parseRefs("http://v.vault.azure.net/keys/k")).toThrow(UsageError);
    expect(Object.keys(azure.toRecord(wrapped(a!)))).toEqual(["created_at", "enc", "name", "vault_url", "version"]);
    expect(azure.fromRecord({ vault_url: "https://v.vault.azure.net", name: "k", version: "abc" }).id).toBe("https://v.vault.azure.net/keys/k/abc");
  });
});

describe("hc_vault descriptor", () => {
  it("parses transit URIs, engine paths with slashes", () => {
    const [k] = vault.parseRefs("https://vault.example.com:8200/v1/team/transit/keys/app");
    expect(k?.fields).toEqual({ engine_path: "team/transit", key_name: "app", vault_address: "https://vault.example.com:8200" });
    expect(k?.id).toBe("https://vault.example.com:8200/v1/team/transit/keys/app");
    expect(Object.keys(vault.toRecord(wrapped(k!)))).toEqual(["created_at", "enc", "engine_path", "key_name", "vault_address"]);
  });
  it.each(["vault.example.com/v1/transit/keys/a", "https://v/prefix/v1/transit/keys/a", "https://v/v1/transit/a"])("rejects %s", (uri) => {
    expect(() => vault.parseRefs(uri)).toThrow(UsageError);
  });
});

describe("lazy loading", () => {
  it.each(["aws-kms", "gcp-kms", "azure-kv", "hc-vault"])("%s/index.ts imports no SDK eagerly", async (dir) => {
    const out = await build({
      entryPoints: [`${ROOT}/src/keys/${dir}/index.ts`],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    const eager = Object.values(out.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && i.kind === "import-statement").map((i) => i.path));
    expect(eager.filter((p) => !p.startsWith("node:"))).toEqual([]);
  });
});
