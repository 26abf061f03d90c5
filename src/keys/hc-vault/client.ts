import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { callPolicyFromEnv, callWithRetry, keyFailure, keyProblem, type FailureContext } from "../network-call.js";
import type { KeyContext, KeySourceClient, MasterKey } from "../types.js";
import { vaultFieldsOf } from "./index.js";
import { vaultPost, vaultTlsFromEnv, type VaultTls } from "./vault-http.js";

/**
 * Vault (and OpenBao) transit client over plain HTTP(S): no node-vault, whose axios and
 * ~30 transitive packages would buy nothing for two POST endpoints. Environment:
 * - token: `VAULT_TOKEN`, else `~/.vault-token`, else AppRole login with
 *   `VAULT_ROLE_ID` + `VAULT_SECRET_ID` (`POST /v1/auth/approle/login`);
 * - `VAULT_NAMESPACE` → `X-Vault-Namespace`;
 * - TLS: `VAULT_CACERT`, `VAULT_CLIENT_CERT`, `VAULT_CLIENT_KEY`, `VAULT_SKIP_VERIFY`,
 *   `VAULT_TLS_SERVER_NAME`;
 * - `SOPS_HC_VAULT_ALLOWLIST`: `all` (default), `none`, or comma-separated address
 *   prefixes; other vault addresses are refused before any request (as SOPS 3.13).
 */

const SERVICE = "hc-vault" as const;
const LABEL = "Vault transit";

type Env = KeyContext["env"];

/** SOPS_HC_VAULT_ALLOWLIST, parsed: `undefined` = every address allowed. */
export function parseVaultAllowlist(text: string | undefined): string[] | undefined {
  const value = text ?? "";
  if (value === "" || value === "all") return undefined;
  if (value === "none") return [];
  return value.split(",").map((raw, i) => {
    const uri = raw.trim();
    if (uri === "") throw new Error(`SOPS_HC_VAULT_ALLOWLIST's entry ${i + 1} is empty`);
    return uri.endsWith("/") ? uri : `${uri}/`;
  });
}

/** Whether `address` is allowed by the parsed allowlist (prefix match, as SOPS). */
export function isVaultAddressAllowed(address: string, allowlist: string[] | undefined): boolean {
  if (allowlist === undefined) return true;
  const a = address.endsWith("/") ? address : `${address}/`;
  return allowlist.some((prefix) => a.startsWith(prefix));
}

/** No token from any source: said before any transit request is made. */
class NoVaultToken extends Error {}

async function fileToken(home: string): Promise<string | undefined> {
  try {
    const t = (await readFile(join(home, ".vault-token"), "utf8")).trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

/** Token: VAULT_TOKEN, ~/.vault-token, then AppRole login (cached per address and run). */
async function token(address: string, tls: VaultTls, ns: Record<string, string>, ctx: KeyContext, signal: AbortSignal): Promise<string | undefined> {
  const env = ctx.env;
  if (env.VAULT_TOKEN) return env.VAULT_TOKEN;
  const fromFile = await fileToken(ctx.home);
  if (fromFile) return fromFile;
  if (!env.VAULT_ROLE_ID || !env.VAULT_SECRET_ID) return undefined;
  const cacheKey = `hc-vault:approle:${address}`;
  const cached = ctx.cache.get(cacheKey) as string | undefined;
  if (cached) return cached;
  const out = await vaultPost({
    address,
    path: "auth/approle/login",
    body: { role_id: env.VAULT_ROLE_ID, secret_id: env.VAULT_SECRET_ID },
    headers: ns,
    tls,
    signal,
  });
  const auth = out.auth as { client_token?: unknown } | undefined;
  if (typeof auth?.client_token !== "string") throw new Error("vault approle login returned no client token");
  ctx.cache.set(cacheKey, auth.client_token);
  return auth.client_token;
}

function prepare(key: MasterKey, env: Env, action: FailureContext["action"]) {
  const f = vaultFieldsOf(key);
  const failure: FailureContext = { service: SERVICE, label: LABEL, key, action };
  let allowlist: string[] | undefined;
  try {
    allowlist = parseVaultAllowlist(env.SOPS_HC_VAULT_ALLOWLIST);
  } catch (err) {
    throw keyProblem(failure, (err as Error).message, "set SOPS_HC_VAULT_ALLOWLIST to all, none, or https://vault1:8200,https://vault2:8200");
  }
  if (!isVaultAddressAllowed(f.vaultAddress, allowlist)) {
    throw keyProblem(failure, `vault address ${f.vaultAddress} is not in SOPS_HC_VAULT_ALLOWLIST`, "add the address to SOPS_HC_VAULT_ALLOWLIST if you trust it");
  }
  let tls: VaultTls;
  try {
    tls = vaultTlsFromEnv(env);
  } catch (err) {
    throw keyProblem(failure, (err as Error).message, "point VAULT_CACERT / VAULT_CLIENT_CERT / VAULT_CLIENT_KEY at readable PEM files");
  }
  return { f, failure, tls, policy: callPolicyFromEnv(env) };
}

/** POST `path` on the key's Vault with the shared timeout/retry policy. */
async function transit(key: MasterKey, ctx: KeyContext, action: "wrap" | "unwrap", op: "encrypt" | "decrypt", body: unknown) {
  const { f, failure, tls, policy } = prepare(key, ctx.env, action);
  const ns: Record<string, string> = ctx.env.VAULT_NAMESPACE ? { "x-vault-namespace": ctx.env.VAULT_NAMESPACE } : {};
  const path = [f.enginePath, op, f.keyName].filter((p) => p !== "").join("/");
  try {
    return await callWithRetry(
      async (signal) => {
        const t = await token(f.vaultAddress, tls, ns, ctx, signal);
        if (!t) throw new NoVaultToken();
        const out = await vaultPost({ address: f.vaultAddress, tls, headers: { ...ns, "x-vault-token": t }, path, body, signal });
        return (out.data ?? {}) as Record<string, unknown>;
      },
      SERVICE,
      policy,
    );
  } catch (err) {
    if (err instanceof NoVaultToken) {
      throw keyProblem(failure, "no Vault token", "set VAULT_TOKEN, run `vault login` (writes ~/.vault-token), or set VAULT_ROLE_ID and VAULT_SECRET_ID");
    }
    throw keyFailure(err, failure);
  }
}

/** The Vault transit key source client. */
export const client: KeySourceClient = {
  async wrap(key, dataKey, ctx) {
    const data = await transit(key, ctx, "wrap", "encrypt", { plaintext: Buffer.from(dataKey).toString("base64") });
    if (typeof data.ciphertext !== "string") {
      throw keyFailure(new Error("vault transit returned no ciphertext"), { service: SERVICE, label: LABEL, key, action: "wrap" });
    }
    return data.ciphertext;
  },

  async unwrap(key, enc, ctx) {
    const data = await transit(key, ctx, "unwrap", "decrypt", { ciphertext: enc });
    if (typeof data.plaintext !== "string") {
      throw keyFailure(new Error("vault transit returned no plaintext"), { service: SERVICE, label: LABEL, key, action: "unwrap" });
    }
    return new Uint8Array(Buffer.from(data.plaintext, "base64"));
  },
};
