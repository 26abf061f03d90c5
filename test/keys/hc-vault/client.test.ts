import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { client, isVaultAddressAllowed, parseVaultAllowlist } from "../../../src/keys/hc-vault/client.js";
import { makeVaultKey } from "../../../src/keys/hc-vault/index.js";
import { closedPort } from "../../fakes/fake-server.js";
import { startFakeVault, type FakeVault } from "../../fakes/hc-vault.js";
import { testKeyContext } from "../../fakes/key-context.js";
import { selfSignedCert } from "../../fakes/tls-cert.js";

const DATA_KEY = new Uint8Array(32).map((_, i) => (i * 29 + 3) & 0xff);
let fake: FakeVault;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeVault();
  fake.createKey("transit", "app");
  fake.createKey("team/transit", "app");
  env = { VAULT_TOKEN: "hvs.root" };
});
afterAll(() => fake.close());

const key = (engine = "transit", name = "app", address = fake.url) => makeVaultKey({ vaultAddress: address, enginePath: engine, keyName: name });

async function failure(p: Promise<unknown>): Promise<KeyAccessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyAccessError);
  return err as KeyAccessError;
}

describe("SOPS_HC_VAULT_ALLOWLIST", () => {
  it("parses all, none and prefix lists like SOPS", () => {
    expect(parseVaultAllowlist(undefined)).toBeUndefined();
    expect(parseVaultAllowlist("all")).toBeUndefined();
    expect(parseVaultAllowlist("none")).toEqual([]);
    expect(parseVaultAllowlist("https://a:8200, https://b/")).toEqual(["https://a:8200/", "https://b/"]);
    expect(() => parseVaultAllowlist("https://a,,https://b")).toThrow(/entry 2 is empty/);
    expect(isVaultAddressAllowed("https://a:8200", ["https://a:8200/"])).toBe(true);
    expect(isVaultAddressAllowed("https://a:82000", ["https://a:8200/"])).toBe(false);
    expect(isVaultAddressAllowed("https://a", [])).toBe(false);
  });
});

describe("hc-vault client", () => {
  it("wraps and unwraps through transit, sending the key as std base64", async () => {
    const ctx = testKeyContext(env);
    const enc = await client.wrap(key("team/transit"), DATA_KEY, ctx);
    expect(enc).toMatch(/^vault:v1:/);
    const sent = fake.requests.at(-1)!;
    expect(sent.url).toBe("/v1/team/transit/encrypt/app");
    expect(JSON.parse(sent.body)).toEqual({ plaintext: Buffer.from(DATA_KEY).toString("base64") });
    expect(sent.headers["x-vault-token"]).toBe("hvs.root");
    expect(await client.unwrap(key("team/transit"), enc, ctx)).toEqual(DATA_KEY);
    expect(fake.requests.at(-1)!.url).toBe("/v1/team/transit/decrypt/app");
  });

  it("sends VAULT_NAMESPACE", async () => {
    fake.namespace = "team-a";
    try {
      const enc = await client.wrap(key(), DATA_KEY, testKeyContext({ ...env, VAULT_NAMESPACE: "team-a" }));
      expect(fake.requests.at(-1)!.headers["x-vault-namespace"]).toBe("team-a");
      expect(enc).toMatch(/^vault:v1:/);
    } finally {
      fake.namespace = undefined;
    }
  });

  it("reads ~/.vault-token when VAULT_TOKEN is unset", async () => {
    const ctx = testKeyContext({});
    writeFileSync(join(ctx.home, ".vault-token"), "hvs.root\n");
    expect(await client.unwrap(key(), await client.wrap(key(), DATA_KEY, ctx), ctx)).toEqual(DATA_KEY);
  });

  it("logs in with AppRole when there is no token, once per run", async () => {
    fake.approles.set("role-1", "secret-1");
    const ctx = testKeyContext({ VAULT_ROLE_ID: "role-1", VAULT_SECRET_ID: "secret-1" });
    const enc = await client.wrap(key(), DATA_KEY, ctx);
    expect(await client.unwrap(key(), enc, ctx)).toEqual(DATA_KEY);
    expect(fake.requests.filter((r) => r.url === "/v1/auth/approle/login")).toHaveLength(1);
    expect(fake.requests.at(-1)!.headers["x-vault-token"]).toMatch(/^hvs\.approle/);
  });

  it("says when there is no token at all, without a request", async () => {
    const n = fake.requests.length;
    const err = await failure(client.wrap(key(), DATA_KEY, testKeyContext({})));
    expect(err.failures[0]?.reason).toBe("no Vault token");
    expect(err.hint).toMatch(/VAULT_TOKEN/);
    expect(fake.requests.length).toBe(n);
  });

  it("refuses addresses outside SOPS_HC_VAULT_ALLOWLIST before any request", async () => {
    const n = fake.requests.length;
    const err = await failure(client.wrap(key(), DATA_KEY, testKeyContext({ ...env, SOPS_HC_VAULT_ALLOWLIST: "https://vault.example.com:8200" })));
    expect(err.failures[0]?.reason).toMatch(/not in SOPS_HC_VAULT_ALLOWLIST/);
    expect(fake.requests.length).toBe(n);
    const ok = await client.wrap(key(), DATA_KEY, testKeyContext({ ...env, SOPS_HC_VAULT_ALLOWLIST: `https://x,${fake.url}` }));
    expect(ok).toMatch(/^vault:v1:/);
  });
});

describe("hc-vault client failures", () => {
  it("connection refused", async () => {
    const port = await closedPort();
    const err = await failure(client.wrap(key("transit", "app", `http://127.0.0.1:${port}`), DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toBe("connection refused");
    expect(err.hint).toMatch(/SOPS_HC_VAULT_ALLOWLIST|Vault is running/);
  });

  it("permission denied (bad token), not retried", async () => {
    const n = fake.requests.length;
    const err = await failure(client.wrap(key(), DATA_KEY, testKeyContext({ VAULT_TOKEN: "hvs.wrong" })));
    expect(err.failures[0]?.reason).toBe("permission denied (HTTP 403)");
    expect(err.hint).toMatch(/invalid or expired/);
    expect(fake.requests.length - n).toBe(1);
  });

  it("key not found", async () => {
    const err = await failure(client.unwrap(key("transit", "missing"), "vault:v1:AAAA", testKeyContext(env)));
    expect(err.failures[0]?.reason).toBe("key not found (HTTP 400)");
    expect(err.hint).toMatch(/vault list/);
  });

  it("key version disabled (below min_decryption_version)", async () => {
    fake.createKey("transit", "old");
    const ctx = testKeyContext(env);
    const enc = await client.wrap(key("transit", "old"), DATA_KEY, ctx);
    fake.retireVersion1("transit", "old");
    const err = await failure(client.unwrap(key("transit", "old"), enc, ctx));
    expect(err.failures[0]?.reason).toMatch(/disabled/);
  });

  it("timeout", async () => {
    fake.slowMs = 2_000;
    fake.inject("slow");
    const err = await failure(client.wrap(key(), DATA_KEY, testKeyContext({ ...env, SOBRE_KMS_TIMEOUT: "0.3" })));
    expect(err.failures[0]?.reason).toBe("timed out after 0.3 s");
  });

  it("retries 500 and resets, then succeeds", async () => {
    const n = fake.requests.length;
    fake.inject("server-error");
    fake.inject("reset");
    expect(await client.wrap(key(), DATA_KEY, testKeyContext(env))).toMatch(/^vault:v1:/);
    expect(fake.requests.length - n).toBe(3);
  });
});

const tls = selfSignedCert();

describe.skipIf(!tls)("hc-vault client over TLS (needs the openssl CLI)", () => {
  let secure: FakeVault;
  beforeAll(async () => {
    secure = await startFakeVault({ tls: tls! });
    secure.createKey("transit", "app");
  });
  afterAll(() => secure?.close());

  it("fails with a TLS error for an untrusted certificate", async () => {
    const err = await failure(client.wrap(key("transit", "app", secure.url), DATA_KEY, testKeyContext(env)));
    expect(err.failures[0]?.reason).toMatch(/^TLS failure/);
    expect(err.hint).toMatch(/VAULT_CACERT/);
  });

  it("trusts VAULT_CACERT, or VAULT_SKIP_VERIFY", async () => {
    const ctx = testKeyContext({ ...env, VAULT_CACERT: tls!.certPath });
    const enc = await client.wrap(key("transit", "app", secure.url), DATA_KEY, ctx);
    expect(await client.unwrap(key("transit", "app", secure.url), enc, testKeyContext({ ...env, VAULT_SKIP_VERIFY: "true" }))).toEqual(DATA_KEY);
  });
});
