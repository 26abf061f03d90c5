import { existsSync, readFileSync } from "node:fs";
import type { KeyManagementServiceClient } from "@google-cloud/kms";
import { callPolicyFromEnv, callWithRetry, keyFailure, keyProblem, type FailureContext } from "../network-call.js";
import type { KeyContext, KeySourceClient, MasterKey } from "../types.js";
import { isGcpResourceId } from "./index.js";

/**
 * GCP Cloud KMS client: the only code that loads `@google-cloud/kms` (and through it
 * google-gax, gRPC and google-auth-library). Environment, as SOPS 3.13 reads it:
 * - `GOOGLE_CREDENTIALS`: service-account JSON text or a path to it; else
 *   `GOOGLE_OAUTH_ACCESS_TOKEN`: a static bearer token; else Application Default Credentials.
 * - `SOPS_GCP_KMS_CLIENT_TYPE`: `grpc` (default) or `rest` (the library's HTTP/JSON mode).
 * - `SOPS_GCP_KMS_ENDPOINT`: `host:port` (TLS) or `http://host:port` (plain, for local
 *   emulators; in gRPC mode no token is sent over a plain channel).
 * - `SOPS_GCP_KMS_UNIVERSE_DOMAIN`: non-default universe (when no endpoint is set).
 * A client is made per call and closed after it, so no gRPC channel outlives the command.
 */

const SERVICE = "gcp-kms" as const;
const LABEL = "GCP KMS";

type Env = KeyContext["env"];
type ClientOptions = NonNullable<ConstructorParameters<typeof KeyManagementServiceClient>[0]>;

interface Endpoint {
  host: string;
  port?: number;
  plain: boolean;
}

/** Parse `SOPS_GCP_KMS_ENDPOINT`: `host[:port]`, optionally with an http(s):// scheme. */
export function parseGcpEndpoint(text: string): Endpoint {
  const plain = text.startsWith("http://");
  const rest = text.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const m = /^(.*):(\d+)$/.exec(rest);
  return m ? { host: m[1] as string, port: Number(m[2]), plain } : { host: rest, plain };
}

async function authOptions(env: Env, failure: FailureContext): Promise<Partial<ClientOptions>> {
  const creds = env.GOOGLE_CREDENTIALS;
  if (creds) {
    const text = existsSync(creds) ? readFileSync(creds, "utf8") : creds;
    try {
      return { credentials: JSON.parse(text) as ClientOptions["credentials"] };
    } catch {
      throw keyProblem(failure, "GOOGLE_CREDENTIALS is neither a readable file nor JSON", "set GOOGLE_CREDENTIALS to service-account JSON or a path to it");
    }
  }
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN;
  if (token) {
    const { OAuth2Client } = await import("google-auth-library");
    const oauth = new OAuth2Client();
    oauth.setCredentials({ access_token: token });
    return { authClient: oauth } as Partial<ClientOptions>;
  }
  return {};
}

async function makeClient(env: Env, failure: FailureContext): Promise<KeyManagementServiceClient> {
  const options: ClientOptions = { ...(await authOptions(env, failure)) };
  const rest = (env.SOPS_GCP_KMS_CLIENT_TYPE ?? "").toLowerCase() === "rest";
  if (rest) options.fallback = true;
  if (env.SOPS_GCP_KMS_ENDPOINT) {
    const ep = parseGcpEndpoint(env.SOPS_GCP_KMS_ENDPOINT);
    options.apiEndpoint = ep.host;
    if (ep.port !== undefined) options.port = ep.port;
    if (ep.plain) {
      if (rest) options.protocol = "http";
      else options.sslCreds = (await import("@grpc/grpc-js")).credentials.createInsecure();
    }
  } else if (env.SOPS_GCP_KMS_UNIVERSE_DOMAIN) {
    options.universeDomain = env.SOPS_GCP_KMS_UNIVERSE_DOMAIN;
  }
  const { KeyManagementServiceClient: Client } = await import("@google-cloud/kms");
  return new Client(options);
}

/** Run one KMS call on a fresh client, with the shared timeout/retry policy; always closes it. */
async function call<T>(key: MasterKey, ctx: KeyContext, action: FailureContext["action"], op: (kms: KeyManagementServiceClient, timeoutMs: number) => Promise<T>): Promise<T> {
  const failure: FailureContext = { service: SERVICE, label: LABEL, key, action };
  if (!isGcpResourceId(key.id)) {
    throw keyProblem(failure, "not a valid GCP KMS resource id", "use projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY");
  }
  const policy = callPolicyFromEnv(ctx.env);
  const kms = await makeClient(ctx.env, failure);
  try {
    return await callWithRetry(async (signal) => {
      const pending = op(kms, policy.timeoutMs) as Promise<T> & { cancel?: () => void };
      signal.addEventListener("abort", () => pending.cancel?.(), { once: true });
      return pending;
    }, SERVICE, policy);
  } catch (err) {
    throw keyFailure(err, failure);
  } finally {
    await kms.close().catch(() => undefined);
  }
}

/** The GCP Cloud KMS key source client. */
export const client: KeySourceClient = {
  async wrap(key, dataKey, ctx) {
    const [resp] = await call(key, ctx, "wrap", (kms, timeout) =>
      kms.encrypt({ name: key.id, plaintext: Buffer.from(dataKey) }, { timeout, maxRetries: 0 }),
    );
    const ct = resp.ciphertext;
    if (!ct) throw keyFailure(new Error("cloud kms encrypt returned no ciphertext"), { service: SERVICE, label: LABEL, key, action: "wrap" });
    return typeof ct === "string" ? ct : Buffer.from(ct).toString("base64");
  },

  async unwrap(key, enc, ctx) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(enc) || enc.length % 4 !== 0) {
      throw keyProblem({ service: SERVICE, label: LABEL, key, action: "unwrap" }, "the enc field is not valid base64", "the file's sops metadata is damaged; restore it from version control");
    }
    const [resp] = await call(key, ctx, "unwrap", (kms, timeout) =>
      kms.decrypt({ name: key.id, ciphertext: Buffer.from(enc, "base64") }, { timeout, maxRetries: 0 }),
    );
    const pt = resp.plaintext;
    if (!pt) throw keyFailure(new Error("cloud kms decrypt returned no plaintext"), { service: SERVICE, label: LABEL, key, action: "unwrap" });
    return typeof pt === "string" ? new Uint8Array(Buffer.from(pt, "base64")) : new Uint8Array(pt);
  },
};
