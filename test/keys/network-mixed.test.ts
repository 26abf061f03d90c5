import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AzureKeySourceClient } from "../../src/keys/azure-kv/index.js";
import { descriptor as kms } from "../../src/keys/aws-kms/index.js";
import { descriptor as azure } from "../../src/keys/azure-kv/index.js";
import { descriptor as gcp } from "../../src/keys/gcp-kms/index.js";
import { descriptor as vault } from "../../src/keys/hc-vault/index.js";
import type { KeyDescriptor, MasterKey } from "../../src/keys/types.js";
import { startFakeAwsKms, type FakeAwsKms } from "../fakes/aws-kms.js";
import { startFakeAzureKv, type FakeAzureKv } from "../fakes/azure-kv.js";
import { startFakeGcpKms, type FakeGcpKms } from "../fakes/gcp-kms.js";
import { startFakeVault, type FakeVault } from "../fakes/hc-vault.js";
import { testKeyContext } from "../fakes/key-context.js";
import { selfSignedCert } from "../fakes/tls-cert.js";

const tls = selfSignedCert();
let aws: FakeAwsKms;
let google: FakeGcpKms;
let az: FakeAzureKv | undefined;
let hv: FakeVault;

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/^(AWS_|GOOGLE_|AZURE_|VAULT_|SOPS_)/.test(k)) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  [aws, google, hv] = await Promise.all([startFakeAwsKms(), startFakeGcpKms(), startFakeVault()]);
  if (tls) az = await startFakeAzureKv(tls);
  aws.secrets.set("AKIDMIXED", "mixedsecret");
});
afterAll(async () => {
  await Promise.all([aws.close(), google.close(), hv.close(), az?.close()]);
});

describe("mixed network keys", () => {
  it("wraps one data key with every network source, stores the entries, and unwraps each", async () => {
    hv.createKey("transit", "mixed");
    const ctx = testKeyContext({
      AWS_ACCESS_KEY_ID: "AKIDMIXED",
      AWS_SECRET_ACCESS_KEY: "mixedsecret",
      AWS_ENDPOINT_URL_KMS: aws.url,
      SOPS_GCP_KMS_CLIENT_TYPE: "rest",
      SOPS_GCP_KMS_ENDPOINT: google.url,
      GOOGLE_OAUTH_ACCESS_TOKEN: google.token,
      VAULT_TOKEN: "hvs.root",
      ...(az && tls
        ? { SOBRE_AZURE_ACCESS_TOKEN: az.token, SOBRE_AZURE_KV_CA: tls.certPath, SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION: "1" }
        : {}),
    });
    const refs: [KeyDescriptor, string][] = [
      [kms, aws.createKey("ap-southeast-2")],
      [gcp, google.createKey()],
      [vault, `${hv.url}/v1/transit/keys/mixed`],
    ];
    if (az) {
      az.createKey("mixed");
      refs.push([azure, `${az.url}/keys/mixed`]);
    }
    const dataKey = new Uint8Array(randomBytes(32));
    const stored = [];
    for (const [d, ref] of refs) {
      const client = await d.load();
      let key: MasterKey = d.parseRefs(ref)[0]!;
      if (d.type === "azure_kv") key = await (client as AzureKeySourceClient).resolve(key, ctx);
      const enc = await client.wrap(key, dataKey, ctx);
      stored.push({ d, record: d.toRecord({ key, enc, createdAt: "2025-01-01T00:00:00Z" }) });
    }
    for (const { d, record } of stored) {
      const { enc, created_at: createdAt, ...fields } = record;
      expect(createdAt).toBe("2025-01-01T00:00:00Z");
      const key = d.fromRecord(fields);
      const client = await d.load();
      expect(await client.unwrap(key, String(enc), ctx), d.type).toEqual(dataKey);
    }
    expect(stored.map((s) => s.d.type)).toEqual(["kms", "gcp_kms", "hc_vault", ...(az ? ["azure_kv"] : [])]);
  });
});
