import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InternalError, KeyAccessError } from "../../../src/errors.js";
import { client } from "../../../src/keys/azure-kv/client.js";
import { makeAzureKey, parseAzureKeyUrl } from "../../../src/keys/azure-kv/index.js";
import { startFakeAzureKv, type FakeAzureKv } from "../../fakes/azure-kv.js";
import { closedPort } from "../../fakes/fake-server.js";
import { testKeyContext } from "../../fakes/key-context.js";
import { selfSignedCert } from "../../fakes/tls-cert.js";

const DATA_KEY = new Uint8Array(32).map((_, i) => (i * 13) & 0xff);
const tls = selfSignedCert();
let fake: FakeAzureKv;
let env: Record<string, string>;

beforeAll(async () => {
  if (!tls) return;
  for (const k of Object.keys(process.env)) if (k.startsWith("AZURE_") || k.startsWith("MSI_") || k.startsWith("IDENTITY_")) delete process.env[k];
  fake = await startFakeAzureKv(tls);
  env = { SOBRE_AZURE_ACCESS_TOKEN: fake.token, SOBRE_AZURE_KV_CA: tls.certPath, SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION: "true" };
});
afterAll(() => fake?.close());

async function failure(p: Promise<unknown>): Promise<KeyAccessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyAccessError);
  return err as KeyAccessError;
}

describe.skipIf(!tls)("azure-kv client (needs the openssl CLI for a test certificate)", () => {
  it("resolves the latest version, then wraps and unwraps with RSA-OAEP-256", async () => {
    fake.createKey("sops");
    const latest = fake.createKey("sops");
    const ctx = testKeyContext(env);
    const key = await client.resolve(parseAzureKeyUrl(`${fake.url}/keys/sops`), ctx);
    expect(key.fields.version).toBe(latest);
    expect(key.id).toBe(`${fake.url}/keys/sops/${latest}`);
    const enc = await client.wrap(key, DATA_KEY, ctx);
    expect(enc).toMatch(/^[A-Za-z0-9_-]{342}$/); // 256-byte RSA ciphertext, base64url, no padding
    expect(await client.unwrap(key, enc, ctx)).toEqual(DATA_KEY);
    const paths = fake.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`);
    expect(paths).toContain(`POST /keys/sops/${latest}/encrypt`);
    expect(paths).toContain(`POST /keys/sops/${latest}/decrypt`);
  });

  it("keeps an explicit version", async () => {
    const v1 = fake.createKey("pinned");
    fake.createKey("pinned");
    const key = await client.resolve(parseAzureKeyUrl(`${fake.url}/keys/pinned/${v1}`), testKeyContext(env));
    expect(key.fields.version).toBe(v1);
    const ctx = testKeyContext(env);
    expect(await client.unwrap(key, await client.wrap(key, DATA_KEY, ctx), ctx)).toEqual(DATA_KEY);
  });

  it("refuses to wrap with an unresolved version", async () => {
    await expect(client.wrap(parseAzureKeyUrl(`${fake.url}/keys/sops`), DATA_KEY, testKeyContext(env))).rejects.toBeInstanceOf(InternalError);
  });

  it("explains a challenge for another domain unless verification is disabled for tests", async () => {
    const v = fake.createKey("strict");
    const key = makeAzureKey({ vaultUrl: fake.url, name: "strict", version: v });
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext({ ...env, SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION: undefined })));
    expect(err.message).toMatch(/challenge names another domain/);
    expect(err.hint).toMatch(/SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION/);
  });

  it("TLS failure without the CA", async () => {
    const v = fake.createKey("tls");
    const key = makeAzureKey({ vaultUrl: fake.url, name: "tls", version: v });
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext({ ...env, SOBRE_AZURE_KV_CA: undefined })));
    expect(err.failures[0]?.reason).toMatch(/^TLS failure/);
    expect(err.hint).toMatch(/SOBRE_AZURE_KV_CA/);
  });

  it("connection refused", async () => {
    const port = await closedPort();
    const key = makeAzureKey({ vaultUrl: `https://127.0.0.1:${port}`, name: "k", version: "1" });
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toBe("connection refused");
  });

  it("authentication failed with a wrong token", async () => {
    const v = fake.createKey("auth");
    const key = makeAzureKey({ vaultUrl: fake.url, name: "auth", version: v });
    const err = await failure(client.wrap(key, DATA_KEY, testKeyContext({ ...env, SOBRE_AZURE_ACCESS_TOKEN: "wrong" })));
    expect(err.failures[0]?.reason).toMatch(/^authentication failed/);
    expect(err.hint).toMatch(/az login/);
  });

  it("permission denied (not retried), not found, disabled", async () => {
    const v = fake.createKey("errs");
    const key = makeAzureKey({ vaultUrl: fake.url, name: "errs", version: v });
    const ctx = testKeyContext(env);
    fake.inject("forbidden");
    const n = fake.requests.length;
    const denied = await failure(client.wrap(key, DATA_KEY, ctx));
    expect(denied.failures[0]?.reason).toMatch(/^permission denied/);
    expect(denied.hint).toMatch(/Key Vault Crypto User/);
    const attempts = fake.requests.length - n;
    expect(attempts).toBeLessThanOrEqual(3); // challenge + key GET + one encrypt; no retry
    const missing = await failure(client.wrap(makeAzureKey({ vaultUrl: fake.url, name: "nope", version: "1" }), DATA_KEY, ctx));
    expect(missing.failures[0]?.reason).toMatch(/^key not found/);
    fake.disableVersion("errs", v);
    const disabled = await failure(client.wrap(key, DATA_KEY, testKeyContext(env)));
    expect(disabled.failures[0]?.reason).toMatch(/disabled/);
  });

  it("timeout, and a 500 that is retried", async () => {
    const v = fake.createKey("slow");
    const key = makeAzureKey({ vaultUrl: fake.url, name: "slow", version: v });
    const ctx = testKeyContext({ ...env, SOBRE_KMS_TIMEOUT: "0.5" });
    await client.wrap(key, DATA_KEY, ctx); // completes the challenge first
    fake.slowMs = 2_000;
    fake.inject("slow");
    const err = await failure(client.wrap(key, DATA_KEY, ctx));
    expect(err.failures[0]?.reason).toBe("timed out after 0.5 s");
    fake.inject("server-error");
    const n = fake.requests.length;
    await client.wrap(key, DATA_KEY, testKeyContext(env));
    expect(fake.requests.slice(n).filter((r) => r.url.includes("/encrypt")).length).toBeGreaterThanOrEqual(2);
  });
});
