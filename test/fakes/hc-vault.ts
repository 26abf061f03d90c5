import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startFakeServer, type Failure, type FakeServer, type FakeServerOptions } from "./fake-server.js";

/**
 * Fake Vault/OpenBao transit API: `POST /v1/<engine>/encrypt/<name>` and
 * `/decrypt/<name>` (`vault:v1:` ciphertexts, AES-GCM under a per-key secret), AppRole
 * login at `POST /v1/auth/approle/login`, `X-Vault-Token` check, `X-Vault-Namespace`
 * recorded (a namespace, when set on the fake, is required). Errors are `{"errors": [...]}`.
 */

export interface FakeVault extends FakeServer {
  /** Tokens the fake accepts. */
  readonly tokens: Set<string>;
  /** AppRole role_id → secret_id. */
  readonly approles: Map<string, string>;
  /** When set, requests must carry this X-Vault-Namespace. */
  namespace: string | undefined;
  /** Create a transit key under `engine` (may contain slashes). */
  createKey(engine: string, name: string): void;
  /** Raise the key's min_decryption_version so existing ciphertexts are refused. */
  retireVersion1(engine: string, name: string): void;
}

const FAILURES: Partial<Record<Failure, [number, string]>> = {
  unauthorized: [403, "permission denied"],
  forbidden: [403, "1 error occurred:\n\t* permission denied\n\n"],
  "not-found": [400, "encryption key not found"],
  disabled: [400, "ciphertext or signature version is disallowed by policy (too old)"],
  "server-error": [500, "internal error"],
  throttle: [429, "request path: rate limit quota exceeded"],
};

function vaultError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { errors: [message] });
}

/** Start the fake (HTTPS when `options.tls` is given). */
export async function startFakeVault(options: FakeServerOptions = {}): Promise<FakeVault> {
  const keys = new Map<string, { secret: Buffer; minVersion: number }>();
  let issued = 0;
  const server = await startFakeServer((req, res, takeFailure) => {
    const path = req.url.split("?")[0] ?? "";
    if (fake.namespace !== undefined && req.headers["x-vault-namespace"] !== fake.namespace) return vaultError(res, 403, "permission denied");
    const body = JSON.parse(req.body || "{}") as Record<string, string>;
    if (req.method === "POST" && path === "/v1/auth/approle/login") {
      if (fake.approles.get(body.role_id ?? "") !== body.secret_id) return vaultError(res, 400, "invalid role or secret ID");
      const token = `hvs.approle${++issued}`;
      fake.tokens.add(token);
      return sendJson(res, 200, { auth: { client_token: token, lease_duration: 3600, renewable: true } });
    }
    if (!fake.tokens.has(String(req.headers["x-vault-token"] ?? ""))) return vaultError(res, 403, "permission denied");
    const failure = takeFailure();
    const injected = failure ? FAILURES[failure] : undefined;
    if (injected) return vaultError(res, ...injected);
    const m = /^\/v1\/(.+)\/(encrypt|decrypt)\/([^/]+)$/.exec(path);
    // Vault treats PUT and POST alike; the Go client (SOPS) writes with PUT.
    if ((req.method !== "POST" && req.method !== "PUT") || !m) return vaultError(res, 404, `no handler for route "${path}"`);
    const [, engine, op, name] = m as unknown as [string, string, string, string];
    const key = keys.get(`${engine}/${name}`);
    if (!key) return vaultError(res, 400, "encryption key not found");
    if (op === "encrypt") {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key.secret, iv);
      const ct = Buffer.concat([c.update(Buffer.from(body.plaintext ?? "", "base64")), c.final()]);
      return sendJson(res, 200, { data: { ciphertext: `vault:v1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString("base64")}`, key_version: 1 } });
    }
    const cm = /^vault:v(\d+):(.+)$/.exec(body.ciphertext ?? "");
    if (!cm) return vaultError(res, 400, "invalid ciphertext: no prefix");
    if (Number(cm[1]) < key.minVersion) return vaultError(res, 400, "ciphertext or signature version is disallowed by policy (too old)");
    const blob = Buffer.from(cm[2] as string, "base64");
    try {
      const d = createDecipheriv("aes-256-gcm", key.secret, blob.subarray(0, 12)).setAuthTag(blob.subarray(12, 28));
      const pt = Buffer.concat([d.update(blob.subarray(28)), d.final()]);
      return sendJson(res, 200, { data: { plaintext: pt.toString("base64") } });
    } catch {
      return vaultError(res, 400, "cipher: message authentication failed");
    }
  }, options);
  const fake: FakeVault = Object.assign(server, {
    tokens: new Set<string>(["hvs.root"]),
    approles: new Map<string, string>(),
    namespace: undefined as string | undefined,
    createKey(engine: string, name: string) {
      keys.set(`${engine}/${name}`, { secret: randomBytes(32), minVersion: 1 });
    },
    retireVersion1(engine: string, name: string) {
      const k = keys.get(`${engine}/${name}`);
      if (k) k.minVersion = 2;
    },
  });
  return fake;
}
