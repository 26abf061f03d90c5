import { execFile } from "node:child_process";
import { createDecipheriv } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descriptor as kms } from "../../src/keys/aws-kms/index.js";
import { descriptor as gcp } from "../../src/keys/gcp-kms/index.js";
import { descriptor as vault } from "../../src/keys/hc-vault/index.js";
import type { KeyDescriptor } from "../../src/keys/types.js";
import type { RawRecord } from "../../src/metadata/raw.js";
import { startFakeAwsKms, type FakeAwsKms } from "../fakes/aws-kms.js";
import { startFakeGcpKms, type FakeGcpKms } from "../fakes/gcp-kms.js";
import { startFakeVault, type FakeVault } from "../fakes/hc-vault.js";
import { testKeyContext } from "../fakes/key-context.js";

/**
 * The real SOPS binary encrypts against our protocol fakes (so its Go SDKs speak to them
 * exactly as to the cloud), then our clients unwrap the `enc` fields it wrote and the
 * recovered data key must decrypt SOPS's values; and SOPS must decrypt the file again
 * with our `enc` in place of its own. Proves wire and field compatibility both ways.
 */
const SOPS = join(homedir(), "go/bin/sops");
const hasSops = existsSync(SOPS);
const run = promisify(execFile);

let aws: FakeAwsKms;
let google: FakeGcpKms;
let hv: FakeVault;

beforeAll(async () => {
  if (!hasSops) return;
  for (const k of Object.keys(process.env)) if (/^(AWS_|GOOGLE_|AZURE_|VAULT_|SOPS_)/.test(k)) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  [aws, google, hv] = await Promise.all([startFakeAwsKms(), startFakeGcpKms(), startFakeVault()]);
  aws.secrets.set("AKIDSOPS", "sopssecret");
  hv.createKey("team/transit", "compat");
});
afterAll(async () => {
  await Promise.all([aws?.close(), google?.close(), hv?.close()]);
});

/** Decrypt one `ENC[AES256_GCM,…,type:str]` value with `dataKey` and AAD `aad`. */
function decryptValue(value: string, dataKey: Uint8Array, aad: string): string {
  const m = /^ENC\[AES256_GCM,data:([^,]+),iv:([^,]+),tag:([^,]+),type:str\]$/.exec(value);
  if (!m) throw new Error(`not an ENC value: ${value}`);
  const d = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(m[2] as string, "base64"));
  d.setAAD(Buffer.from(aad)).setAuthTag(Buffer.from(m[3] as string, "base64"));
  return Buffer.concat([d.update(Buffer.from(m[1] as string, "base64")), d.final()]).toString("utf8");
}

async function sopsEncrypt(args: string[], env: Record<string, string>): Promise<Record<string, unknown>> {
  const ctx = testKeyContext();
  const file = join(ctx.home, "plain.json");
  writeFileSync(file, JSON.stringify({ greeting: "hello from sops" }));
  const { stdout } = await run(SOPS, ["encrypt", ...args, "--input-type", "json", "--output-type", "json", file], {
    env: { PATH: process.env.PATH ?? "", HOME: ctx.home, ...env },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/**
 * The other direction: re-wrap the data key with our client, put our `enc` into the
 * SOPS file in place of SOPS's, and let `sops decrypt` read it.
 */
async function sopsDecryptsOurEnc(d: KeyDescriptor, file: Record<string, unknown>, dataKey: Uint8Array, env: Record<string, string>): Promise<void> {
  const sops = file.sops as Record<string, RawRecord[]>;
  const entry = sops[d.type]?.[0] as RawRecord;
  const { enc: theirs, created_at: _createdAt, ...fields } = entry;
  const ours = await (await d.load()).wrap(d.fromRecord(fields), dataKey, testKeyContext(env));
  expect(ours).not.toBe(theirs);
  entry.enc = ours;
  const ctx = testKeyContext();
  const path = join(ctx.home, "enc.json");
  writeFileSync(path, JSON.stringify(file));
  const { stdout } = await run(SOPS, ["decrypt", "--input-type", "json", "--output-type", "json", path], {
    env: { PATH: process.env.PATH ?? "", HOME: ctx.home, ...env },
  });
  expect(JSON.parse(stdout)).toEqual({ greeting: "hello from sops" });
}

async function unwrapFirst(d: KeyDescriptor, file: Record<string, unknown>, env: Record<string, string>): Promise<Uint8Array> {
  const sops = file.sops as Record<string, RawRecord[]>;
  const entry = sops[d.type]?.[0];
  if (!entry) throw new Error(`sops wrote no ${d.type} entry`);
  const { enc, created_at: createdAt, ...fields } = entry;
  expect(String(createdAt)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const key = d.fromRecord(fields);
  // Our writer must produce exactly SOPS's field set.
  expect(Object.keys(d.toRecord({ key, enc: String(enc), createdAt: String(createdAt) })).sort()).toEqual(Object.keys(entry).sort());
  const dataKey = await (await d.load()).unwrap(key, String(enc), testKeyContext(env));
  if (!dataKey) throw new Error(`${d.type} client returned no data key`);
  expect(dataKey).toHaveLength(32);
  return dataKey;
}

describe.skipIf(!hasSops)("network keys written by the real sops binary", () => {
  it("hc_vault: sops's transit entry unwraps with our client", async () => {
    const env = { VAULT_TOKEN: "hvs.root" };
    const file = await sopsEncrypt(["--hc-vault-transit", `${hv.url}/v1/team/transit/keys/compat`], env);
    const dataKey = await unwrapFirst(vault, file, env);
    expect(decryptValue(String(file.greeting), dataKey, "greeting:")).toBe("hello from sops");
    await sopsDecryptsOurEnc(vault, file, dataKey, env);
  });

  it("kms: sops's entry (with encryption context) unwraps with our client", async () => {
    const arn = aws.createKey("eu-north-1");
    const env = { AWS_ACCESS_KEY_ID: "AKIDSOPS", AWS_SECRET_ACCESS_KEY: "sopssecret", AWS_ENDPOINT_URL_KMS: aws.url, AWS_EC2_METADATA_DISABLED: "true" };
    const file = await sopsEncrypt(["--kms", arn, "--encryption-context", "app:sobre,tier:db"], env);
    const entry = (file.sops as Record<string, RawRecord[]>).kms?.[0];
    expect(entry?.context).toEqual({ app: "sobre", tier: "db" });
    const dataKey = await unwrapFirst(kms, file, env);
    expect(decryptValue(String(file.greeting), dataKey, "greeting:")).toBe("hello from sops");
    await sopsDecryptsOurEnc(kms, file, dataKey, env);
  });

  it("gcp_kms (REST): sops's entry unwraps with our client", async () => {
    const id = google.createKey("compat");
    const env = { SOPS_GCP_KMS_CLIENT_TYPE: "rest", SOPS_GCP_KMS_ENDPOINT: google.url, GOOGLE_OAUTH_ACCESS_TOKEN: google.token };
    const file = await sopsEncrypt(["--gcp-kms", id], env);
    const dataKey = await unwrapFirst(gcp, file, env);
    expect(decryptValue(String(file.greeting), dataKey, "greeting:")).toBe("hello from sops");
    await sopsDecryptsOurEnc(gcp, file, dataKey, env);
  });
});
