import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";

/**
 * A minimal JSON-over-HTTP(S) client for the Vault API, on `node:http(s)` so the TLS
 * variables the Vault CLI honours (`VAULT_CACERT`, `VAULT_CLIENT_CERT`,
 * `VAULT_CLIENT_KEY`, `VAULT_SKIP_VERIFY`, `VAULT_TLS_SERVER_NAME`) apply per request —
 * Node 20's global fetch cannot take a CA without undici.
 */

/** A non-2xx answer from Vault; `errors` is Vault's `{"errors": [...]}` list. */
export class VaultHttpError extends Error {
  readonly status: number;
  readonly errors: readonly string[];
  constructor(status: number, errors: readonly string[]) {
    super(errors.length > 0 ? errors.join("; ") : `vault answered HTTP ${status}`);
    this.name = "VaultHttpError";
    this.status = status;
    this.errors = errors;
  }
}

/** TLS settings read from the environment, as the Vault CLI does. */
export interface VaultTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

/** Read VAULT_CACERT / VAULT_CLIENT_CERT / VAULT_CLIENT_KEY / VAULT_SKIP_VERIFY / VAULT_TLS_SERVER_NAME. */
export function vaultTlsFromEnv(env: Readonly<Record<string, string | undefined>>): VaultTls {
  const read = (name: string): string | undefined => {
    const file = env[name];
    if (!file) return undefined;
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`cannot read ${name} file ${file}`, { cause: err });
    }
  };
  const skip = /^(1|true|yes)$/i.test(env.VAULT_SKIP_VERIFY ?? "");
  const tls: { -readonly [K in keyof VaultTls]: VaultTls[K] } = { rejectUnauthorized: !skip };
  const ca = read("VAULT_CACERT");
  const cert = read("VAULT_CLIENT_CERT");
  const key = read("VAULT_CLIENT_KEY");
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if (env.VAULT_TLS_SERVER_NAME) tls.servername = env.VAULT_TLS_SERVER_NAME;
  return tls;
}

export interface VaultRequest {
  /** `https://host:8200` */
  readonly address: string;
  /** API path after `/v1/`, e.g. `transit/encrypt/app`. */
  readonly path: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly tls: VaultTls;
  readonly signal: AbortSignal;
}

/** POST JSON to Vault and parse the JSON answer; throws VaultHttpError on non-2xx. */
export function vaultPost(req: VaultRequest): Promise<Record<string, unknown>> {
  const url = new URL(`${req.address.replace(/\/+$/, "")}/v1/${req.path}`);
  const payload = Buffer.from(JSON.stringify(req.body));
  const options: RequestOptions = {
    method: "POST",
    headers: { ...req.headers, "content-type": "application/json", "content-length": String(payload.length), "x-vault-request": "true" },
    signal: req.signal,
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  if (url.protocol === "https:") Object.assign(options, req.tls);
  return new Promise((resolve, reject) => {
    const r = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          // Proxies and load balancers answer HTML; the status is what matters then.
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(json);
        else reject(new VaultHttpError(status, Array.isArray(json.errors) ? json.errors.map(String) : []));
      });
    });
    r.on("error", reject);
    r.end(payload);
  });
}
