import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { client } from "../../../src/keys/aws-kms/client.js";
import { makeKmsKey, parseKmsRefs } from "../../../src/keys/aws-kms/index.js";
import { startFakeAwsKms, type FakeAwsKms } from "../../fakes/aws-kms.js";
import { closedPort } from "../../fakes/fake-server.js";
import { testKeyContext } from "../../fakes/key-context.js";

const DATA_KEY = new Uint8Array(32).map((_, i) => i * 7);
let fake: FakeAwsKms;
let envBase: Record<string, string>;

beforeAll(async () => {
  // The SDK still reads a few things from process.env: keep it off the developer's
  // config and off the EC2 metadata service.
  for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
  const dir = mkdtempSync(join(tmpdir(), "sobre-aws-"));
  writeFileSync(join(dir, "credentials"), "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret\n");
  writeFileSync(join(dir, "config"), "");
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
  process.env.AWS_CONFIG_FILE = join(dir, "config");
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  fake = await startFakeAwsKms();
  fake.secrets.set("AKIDTEST", "testsecret");
  fake.secrets.set("AKIDPROFILE", "profilesecret");
  envBase = { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "testsecret", AWS_ENDPOINT_URL_KMS: fake.url, SOBRE_KMS_TIMEOUT: "5" };
});
afterAll(() => fake.close());

const key = (arn: string, extra: { role?: string; context?: Record<string, string>; awsProfile?: string } = {}) =>
  makeKmsKey({ arn, role: extra.role ?? "", context: extra.context ?? {}, awsProfile: extra.awsProfile ?? "" });

async function failure(p: Promise<unknown>): Promise<KeyAccessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyAccessError);
  return err as KeyAccessError;
}

describe("aws-kms client", () => {
  it("wraps and unwraps through the KMS endpoint, signed for the ARN's region and kms", async () => {
    const arn = fake.createKey("eu-west-2");
    const ctx = testKeyContext(envBase);
    const enc = await client.wrap(key(arn), DATA_KEY, ctx);
    expect(enc).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(await client.unwrap(key(arn), enc, ctx)).toEqual(DATA_KEY);
    const last = fake.kmsCalls.at(-1);
    expect(last?.credential).toMatchObject({ accessKeyId: "AKIDTEST", region: "eu-west-2", service: "kms" });
    expect(fake.kmsCalls.slice(-2).map((c) => c.target)).toEqual(["TrentService.Encrypt", "TrentService.Decrypt"]);
  });

  it("accepts alias ARNs and the generic AWS_ENDPOINT_URL", async () => {
    const arn = fake.createKey("us-west-1");
    const alias = "arn:aws:kms:us-west-1:111122223333:alias/sobre";
    fake.addAlias(alias, arn);
    const ctx = testKeyContext({ ...envBase, AWS_ENDPOINT_URL_KMS: undefined, AWS_ENDPOINT_URL: fake.url });
    const enc = await client.wrap(key(alias), DATA_KEY, ctx);
    expect(await client.unwrap(key(alias), enc, ctx)).toEqual(DATA_KEY);
  });

  it("honours the encryption context: a different context cannot decrypt", async () => {
    const arn = fake.createKey();
    const ctx = testKeyContext(envBase);
    const enc = await client.wrap(key(arn, { context: { app: "web", env: "prod" } }), DATA_KEY, ctx);
    expect(await client.unwrap(key(arn, { context: { env: "prod", app: "web" } }), enc, ctx)).toEqual(DATA_KEY);
    const err = await failure(client.unwrap(key(arn, { context: { app: "web" } }), enc, ctx));
    expect(err.failures[0]?.reason).toMatch(/rejected the encrypted data key/);
    expect(err.hint).toMatch(/encryption context/);
  });

  it("assumes the role through STS (AWS_ENDPOINT_URL_STS) with a sops@host session name", async () => {
    const arn = fake.createKey();
    const role = "arn:aws:iam::111122223333:role/sops-role";
    const [k] = parseKmsRefs(`${arn}+${role}`);
    const ctx = testKeyContext({ ...envBase, AWS_ENDPOINT_URL_STS: fake.url });
    const enc = await client.wrap(k!, DATA_KEY, ctx);
    expect(await client.unwrap(k!, enc, ctx)).toEqual(DATA_KEY);
    expect(fake.assumedRoles).toHaveLength(1); // cached per run
    const assumed = fake.assumedRoles[0]!;
    expect(assumed.roleArn).toBe(role);
    expect(assumed.sessionName).toMatch(/^sops@/);
    const last = fake.kmsCalls.at(-1)!;
    expect(last.credential.accessKeyId).toBe(assumed.accessKeyId);
    expect(last.sessionToken).toBeTruthy();
  });

  it("uses the aws_profile field (and --aws-profile) for credentials", async () => {
    const arn = fake.createKey();
    const ctx = testKeyContext(envBase);
    const enc = await client.wrap(key(arn, { awsProfile: "dev" }), DATA_KEY, ctx);
    expect(fake.kmsCalls.at(-1)?.credential.accessKeyId).toBe("AKIDPROFILE");
    const viaFlag = testKeyContext(envBase, { awsProfile: "dev" });
    expect(await client.unwrap(key(arn), enc, viaFlag)).toEqual(DATA_KEY);
    expect(fake.kmsCalls.at(-1)?.credential.accessKeyId).toBe("AKIDPROFILE");
  });

  it("rejects an invalid enc without calling KMS", async () => {
    const n = fake.requests.length;
    const err = await failure(client.unwrap(key(fake.createKey()), "not base64!", testKeyContext(envBase)));
    expect(err.message).toMatch(/not valid base64/);
    expect(fake.requests.length).toBe(n);
  });
});

describe("aws-kms client failures", () => {
  it("connection refused", async () => {
    const port = await closedPort();
    const ctx = testKeyContext({ ...envBase, AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${port}` });
    const err = await failure(client.wrap(key(fake.createKey()), DATA_KEY, ctx));
    expect(err.failures[0]?.reason).toBe("connection refused");
    expect(err.hint).toMatch(/AWS_ENDPOINT_URL_KMS/);
  });

  it("authentication failed for credentials KMS does not know", async () => {
    const ctx = testKeyContext({ ...envBase, AWS_ACCESS_KEY_ID: "AKIDUNKNOWN" });
    const err = await failure(client.wrap(key(fake.createKey()), DATA_KEY, ctx));
    expect(err.failures[0]?.reason).toMatch(/^authentication failed/);
    expect(err.hint).toMatch(/AWS_PROFILE/);
  });

  it("permission denied is not retried", async () => {
    const arn = fake.createKey();
    const n = fake.requests.length;
    fake.inject("forbidden");
    const err = await failure(client.wrap(key(arn), DATA_KEY, testKeyContext(envBase)));
    expect(err.failures[0]?.reason).toMatch(/^permission denied/);
    expect(err.hint).toMatch(/kms:Encrypt/);
    expect(fake.requests.length - n).toBe(1);
  });

  it("key not found", async () => {
    const err = await failure(client.wrap(key("arn:aws:kms:us-east-1:111122223333:key/missing"), DATA_KEY, testKeyContext(envBase)));
    expect(err.failures[0]?.reason).toMatch(/^key not found/);
    expect(err.message).toContain("arn:aws:kms:us-east-1:111122223333:key/missing");
  });

  it("key disabled", async () => {
    const arn = fake.createKey();
    fake.disableKey(arn);
    const err = await failure(client.wrap(key(arn), DATA_KEY, testKeyContext(envBase)));
    expect(err.failures[0]?.reason).toMatch(/disabled/);
  });

  it("timeout", async () => {
    fake.slowMs = 2_000;
    fake.inject("slow");
    const started = Date.now();
    const err = await failure(client.wrap(key(fake.createKey()), DATA_KEY, testKeyContext({ ...envBase, SOBRE_KMS_TIMEOUT: "0.3" })));
    expect(err.failures[0]?.reason).toBe("timed out after 0.3 s");
    expect(err.hint).toMatch(/SOBRE_KMS_TIMEOUT/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("retries 500 and throttling, then succeeds", async () => {
    const arn = fake.createKey();
    const n = fake.requests.length;
    fake.inject("server-error");
    fake.inject("throttle");
    const enc = await client.wrap(key(arn), DATA_KEY, testKeyContext(envBase));
    expect(enc.length).toBeGreaterThan(0);
    expect(fake.requests.length - n).toBe(3);
  });

  it("gives up after SOBRE_KMS_RETRIES", async () => {
    const n = fake.requests.length;
    fake.inject("server-error", 2);
    const err = await failure(client.wrap(key(fake.createKey()), DATA_KEY, testKeyContext({ ...envBase, SOBRE_KMS_RETRIES: "1" })));
    expect(err.failures[0]?.reason).toBe("service error (HTTP 500)");
    expect(fake.requests.length - n).toBe(2);
  });
});
