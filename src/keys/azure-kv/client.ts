import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { TokenCredential } from "@azure/identity";
import type { CryptographyClient, CryptographyClientOptions } from "@azure/keyvault-keys";
import { InternalError } from "../../errors.js";
import { callPolicyFromEnv, callWithRetry, keyFailure, keyProblem, type FailureContext } from "../network-call.js";
import type { KeyContext, MasterKey } from "../types.js";
import { azureFieldsOf, makeAzureKey, type AzureKeySourceClient } from "./index.js";

/**
 * Azure Key Vault client: the only code that loads `@azure/keyvault-keys` and
 * `@azure/identity`. Wraps with RSA-OAEP-256 through the vault's `encrypt`/`decrypt`
 * operations, as SOPS does (so the key permissions SOPS documents, encrypt + decrypt,
 * suffice). Environment:
 * - default credential: DefaultAzureCredential (env service principal, workload or
 *   managed identity, Azure CLI, …);
 * - `SOBRE_AZURE_ACCESS_TOKEN`: a static bearer token instead (automation, tests);
 * - `SOBRE_AZURE_KV_CA`: PEM file of extra CA certificates to trust (added to Node's
 *   bundled roots), e.g. for a local fake or a TLS-inspecting proxy;
 * - `SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION=true`: accept a bearer challenge
 *   whose resource is not the vault's domain (only for local test servers).
 */

const SERVICE = "azure-kv" as const;
const LABEL = "Azure Key Vault";
const ALGORITHM = "RSA-OAEP-256";

type Env = KeyContext["env"];

function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v);
}

async function credential(env: Env, ctx: KeyContext): Promise<TokenCredential> {
  const token = env.SOBRE_AZURE_ACCESS_TOKEN;
  if (token) {
    return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  }
  const cached = ctx.cache.get("azure-kv:credential") as TokenCredential | undefined;
  if (cached) return cached;
  const { DefaultAzureCredential } = await import("@azure/identity");
  const made = new DefaultAzureCredential();
  ctx.cache.set("azure-kv:credential", made);
  return made;
}

function clientOptions(env: Env, failure: FailureContext): CryptographyClientOptions {
  // SDK retries off: the shared policy retries; the challenge round trip is not a retry.
  const options: CryptographyClientOptions = { retryOptions: { maxRetries: 0 } };
  if (isTrue(env.SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION)) options.disableChallengeResourceVerification = true;
  if (env.SOBRE_AZURE_KV_CA) {
    let pem: string;
    try {
      pem = readFileSync(env.SOBRE_AZURE_KV_CA, "utf8");
    } catch {
      throw keyProblem(failure, `cannot read SOBRE_AZURE_KV_CA file ${env.SOBRE_AZURE_KV_CA}`, "point SOBRE_AZURE_KV_CA at a PEM file of CA certificates");
    }
    options.tlsOptions = { ca: [...rootCertificates, pem] };
  }
  return options;
}

/** Errors the SDK raises before any HTTP status exists, reworded with our hint. */
function azureFailure(err: unknown, failure: FailureContext) {
  const message = err instanceof Error ? err.message : "";
  if (message.includes("does not match the requested domain")) {
    return keyProblem(
      failure,
      "the vault's authentication challenge names another domain",
      "use the vault's real URL (https://NAME.vault.azure.net); for a local test server set SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION=true",
    );
  }
  return keyFailure(err, failure);
}

/** The key's current version (GET /keys/NAME), cached per run. */
async function latestVersion(key: MasterKey, ctx: KeyContext, failure: FailureContext): Promise<string> {
  const f = azureFieldsOf(key);
  const cacheKey = `azure-kv:version:${f.vaultUrl}/${f.name}`;
  const cached = ctx.cache.get(cacheKey) as string | undefined;
  if (cached) return cached;
  const { KeyClient } = await import("@azure/keyvault-keys");
  const kc = new KeyClient(f.vaultUrl, await credential(ctx.env, ctx), clientOptions(ctx.env, failure));
  try {
    const got = await callWithRetry((abortSignal) => kc.getKey(f.name, { abortSignal }), SERVICE, callPolicyFromEnv(ctx.env));
    const version = got.properties.version;
    if (!version) throw new Error("key vault returned a key without a version");
    ctx.cache.set(cacheKey, version);
    return version;
  } catch (err) {
    throw azureFailure(err, failure);
  }
}

/**
 * One CryptographyClient per key and run: it fetches the key once (hybrid mode) and
 * completes the bearer challenge once, instead of on every wrap/unwrap.
 */
async function cryptoClient(keyId: string, ctx: KeyContext, failure: FailureContext): Promise<CryptographyClient> {
  const cacheKey = `azure-kv:crypto:${keyId}`;
  const cached = ctx.cache.get(cacheKey) as CryptographyClient | undefined;
  if (cached) return cached;
  const { CryptographyClient: Crypto } = await import("@azure/keyvault-keys");
  const cc = new Crypto(keyId, await credential(ctx.env, ctx), clientOptions(ctx.env, failure));
  ctx.cache.set(cacheKey, cc);
  return cc;
}

async function cryptoCall(
  key: MasterKey,
  ctx: KeyContext,
  action: "wrap" | "unwrap",
  op: (c: CryptographyClient, signal: AbortSignal) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const failure: FailureContext = { service: SERVICE, label: LABEL, key, action };
  const f = azureFieldsOf(key);
  const version = f.version || (await latestVersion(key, ctx, failure));
  const keyId = `${f.vaultUrl}/keys/${f.name}/${version}`;
  try {
    const cc = await cryptoClient(keyId, ctx, failure);
    return await callWithRetry((signal) => op(cc, signal), SERVICE, callPolicyFromEnv(ctx.env));
  } catch (err) {
    throw azureFailure(err, failure);
  }
}

/** The Azure Key Vault key source client (with `resolve` for version-less key URLs). */
export const client: AzureKeySourceClient = {
  async resolve(key, ctx) {
    const f = azureFieldsOf(key);
    if (f.version) return key;
    const version = await latestVersion(key, ctx, { service: SERVICE, label: LABEL, key, action: "resolve" });
    return makeAzureKey({ ...f, version });
  },

  async wrap(key, dataKey, ctx) {
    if (!azureFieldsOf(key).version) {
      throw new InternalError(`azure key vault key ${key.id} has no version: resolve() it before wrapping`);
    }
    const result = await cryptoCall(key, ctx, "wrap", async (cc, abortSignal) => {
      const r = await cc.encrypt({ algorithm: ALGORITHM, plaintext: dataKey }, { abortSignal });
      return r.result;
    });
    return Buffer.from(result).toString("base64url");
  },

  async unwrap(key, enc, ctx) {
    if (!/^[A-Za-z0-9_-]+$/.test(enc)) {
      throw keyProblem({ service: SERVICE, label: LABEL, key, action: "unwrap" }, "the enc field is not valid unpadded base64url", "the file's sops metadata is damaged; restore it from version control");
    }
    const ciphertext = Buffer.from(enc, "base64url");
    return cryptoCall(key, ctx, "unwrap", async (cc, abortSignal) => {
      const r = await cc.decrypt({ algorithm: ALGORITHM, ciphertext }, { abortSignal });
      return new Uint8Array(r.result);
    });
  },
};
