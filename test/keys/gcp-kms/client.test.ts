import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { client, parseGcpEndpoint } from "../../../src/keys/gcp-kms/client.js";
import { makeGcpKey } from "../../../src/keys/gcp-kms/index.js";
import { closedPort } from "../../fakes/fake-server.js";
import { startFakeGcpKms, type FakeGcpKms } from "../../fakes/gcp-kms.js";
import { testKeyContext } from "../../fakes/key-context.js";

const DATA_KEY = new Uint8Array(32).map((_, i) => 255 - i);
let fake: FakeGcpKms;
let env: Record<string, string>;

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith("GOOGLE_") || k.startsWith("SOPS_") || k.startsWith("GCE_")) delete process.env[k];
  fake = await startFakeGcpKms();
  env = { SOPS_GCP_KMS_CLIENT_TYPE: "rest", SOPS_GCP_KMS_ENDPOINT: fake.url, GOOGLE_OAUTH_ACCESS_TOKEN: fake.token };
});
afterAll(() => fake.close());

async function failure(p: Promise<unknown>): Promise<KeyAccessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyAccessError);
  return err as KeyAccessError;
}

describe("parseGcpEndpoint", () => {
  it("reads host, port and scheme", () => {
    expect(parseGcpEndpoint("http://127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080, plain: true });
    expect(parseGcpEndpoint("kms.example.com:443")).toEqual({ host: "kms.example.com", port: 443, plain: false });
    expect(parseGcpEndpoint("https://kms.example.com/")).toEqual({ host: "kms.example.com", plain: false });
  });
});

describe("gcp-kms client (REST)", () => {
  it("wraps and unwraps with a bearer token over SOPS_GCP_KMS_ENDPOINT", async () => {
    const key = makeGcpKey(fake.createKey());
    const ctx = testKeyContext(env);
    const enc = await client.wrap(key, DATA_KEY, ctx);
    expect(enc).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(await client.unwrap(key, enc, ctx)).toEqual(DATA_KEY);
    const last = fake.requests.at(-1)!;
    expect(last.url).toMatch(new RegExp(`^/v1/${key.id}:decrypt`));
    expect(last.headers.authorization).toBe(`Bearer ${fake.token}`);
  });

  it("authenticates with GOOGLE_CREDENTIALS service-account JSON, as text or as a path", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const email = "sobre@sobre-test.iam.gserviceaccount.com";
    fake.trustServiceAccount(email, publicKey);
    const sa = JSON.stringify({
      type: "service_account",
      project_id: "sobre-test",
      private_key_id: "k1",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
      client_email: email,
      client_id: "1",
      token_uri: `${fake.url}/token`,
    });
    const key = makeGcpKey(fake.createKey());
    // GOOGLE_CREDENTIALS wins over a (wrong) access token, as in SOPS.
    const asText = testKeyContext({ ...env, GOOGLE_CREDENTIALS: sa, GOOGLE_OAUTH_ACCESS_TOKEN: "wrong" });
    const enc = await client.wrap(key, DATA_KEY, asText);
    const dir = mkdtempSync(join(tmpdir(), "sobre-gcp-"));
    writeFileSync(join(dir, "sa.json"), sa);
    const asPath = testKeyContext({ ...env, GOOGLE_CREDENTIALS: join(dir, "sa.json") });
    expect(await client.unwrap(key, enc, asPath)).toEqual(DATA_KEY);
    expect(fake.requests.at(-1)?.headers.authorization).toMatch(/^Bearer ey/);
  });

  it("says when GOOGLE_CREDENTIALS is unusable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sobre-gcp-"));
    const path = join(dir, "bad.json");
    writeFileSync(path, "not json");
    const err = await failure(client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext({ ...env, GOOGLE_CREDENTIALS: path })));
    expect(err.message).toMatch(/GOOGLE_CREDENTIALS is neither/);
  });

  it("another key cannot decrypt", async () => {
    const a = makeGcpKey(fake.createKey());
    const b = makeGcpKey(fake.createKey());
    const ctx = testKeyContext(env);
    const enc = await client.wrap(a, DATA_KEY, ctx);
    const err = await failure(client.unwrap(b, enc, ctx));
    expect(err.failures[0]?.key).toBe(b.id);
  });
});

describe("gcp-kms client failures", () => {
  it("connection refused", async () => {
    const port = await closedPort();
    const err = await failure(client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext({ ...env, SOPS_GCP_KMS_ENDPOINT: `http://127.0.0.1:${port}` })));
    expect(err.failures[0]?.reason).toBe("connection refused");
    expect(err.hint).toMatch(/SOPS_GCP_KMS_ENDPOINT/);
  });

  it("authentication failed with a wrong token", async () => {
    const err = await failure(client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext({ ...env, GOOGLE_OAUTH_ACCESS_TOKEN: "wrong" })));
    expect(err.failures[0]?.reason).toMatch(/^authentication failed/);
    expect(err.hint).toMatch(/gcloud auth application-default login/);
  });

  it("permission denied, not retried", async () => {
    const n = fake.requests.length;
    fake.inject("forbidden");
    const err = await failure(client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toMatch(/^permission denied/);
    expect(err.hint).toMatch(/cryptoKeyEncrypterDecrypter/);
    expect(fake.requests.length - n).toBe(1);
  });

  it("key not found", async () => {
    const key = makeGcpKey("projects/p/locations/global/keyRings/r/cryptoKeys/missing");
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toMatch(/^key not found/);
  });

  it("key version disabled", async () => {
    const id = fake.createKey();
    fake.disableKey(id);
    const err = await failure(client.wrap(makeGcpKey(id), DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toMatch(/disabled/);
  });

  it("timeout", async () => {
    fake.slowMs = 2_000;
    fake.inject("slow");
    const err = await failure(client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext({ ...env, SOBRE_KMS_TIMEOUT: "0.3" })));
    expect(err.failures[0]?.reason).toBe("timed out after 0.3 s");
  });

  it("retries a 500, then succeeds", async () => {
    const n = fake.requests.length;
    fake.inject("server-error");
    const enc = await client.wrap(makeGcpKey(fake.createKey()), DATA_KEY, testKeyContext(env));
    expect(enc.length).toBeGreaterThan(0);
    expect(fake.requests.length - n).toBe(2);
  });

  it("rejects an invalid resource id without a request", async () => {
    const n = fake.requests.length;
    const key = { type: "gcp_kms" as const, id: "projects/p/keys/k", fields: { resource_id: "projects/p/keys/k" } };
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext(env)));
    expect(err.message).toMatch(/not a valid GCP KMS resource id/);
    expect(fake.requests.length).toBe(n);
  });
});
