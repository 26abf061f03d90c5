import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startFakeServer, type Failure, type FakeServer } from "./fake-server.js";

/**
 * Fake Azure Key Vault over HTTPS: the bearer challenge (401 + `WWW-Authenticate:
 * Bearer authorization=…, resource=…`), `GET /keys/{name}[/{version}]` (public JWK),
 * `POST /keys/{name}/{version}/encrypt|decrypt|wrapkey|unwrapkey` with real
 * RSA-OAEP-256 (node:crypto). Error bodies use Key Vault's `{error: {code, message}}`.
 */

interface Version {
  readonly version: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  enabled: boolean;
}

export interface FakeAzureKv extends FakeServer {
  /** The bearer token the fake accepts. */
  token: string;
  /** The `resource` named in the challenge (default https://vault.azure.net). */
  challengeResource: string;
  /** Create a key (or a new version of it); returns the version. */
  createKey(name: string): string;
  disableVersion(name: string, version: string): void;
}

const FAILURES: Partial<Record<Failure, [number, string, string]>> = {
  unauthorized: [401, "Unauthorized", "AKV10022: Invalid audience."],
  forbidden: [403, "Forbidden", "The user, group or application does not have keys encrypt permission on key vault."],
  "not-found": [404, "KeyNotFound", "A key with (name/id) was not found in this key vault."],
  disabled: [403, "Forbidden", "Operation encrypt is not allowed on a disabled key."],
  "server-error": [500, "InternalServerError", "Internal server error."],
  throttle: [429, "Throttled", "Too many requests."],
};

function kvError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/** Start the fake with a TLS key and certificate (PEM). */
export async function startFakeAzureKv(tls: { key: string; cert: string }): Promise<FakeAzureKv> {
  const keys = new Map<string, Version[]>();
  const server = await startFakeServer(
    (req, res, takeFailure) => {
      const auth = req.headers.authorization;
      const challenge = `Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="${fake.challengeResource}"`;
      if (!auth) return kvError(res, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", { "www-authenticate": challenge });
      if (auth !== `Bearer ${fake.token}`) return kvError(res, 401, "Unauthorized", "AKV10032: Invalid issuer.", { "www-authenticate": challenge });
      // Injected failures hit key operations (POST), not the SDK's key-material GET.
      const failure = req.method === "POST" ? takeFailure() : undefined;
      const injected = failure ? FAILURES[failure] : undefined;
      if (injected) return kvError(res, ...injected);
      const path = (req.url.split("?")[0] ?? "").replace(/\/+$/, "");
      const m = /^\/keys\/([^/]+)(?:\/([^/]+))?(?:\/(encrypt|decrypt|wrapkey|unwrapkey))?$/.exec(path);
      if (!m) return kvError(res, 400, "BadParameter", `no route ${path}`);
      const [, name = "", wantVersion, op] = m;
      const versions = keys.get(name);
      const v = wantVersion ? versions?.find((x) => x.version === wantVersion) : versions?.at(-1);
      if (!v) return kvError(res, 404, "KeyNotFound", `A key with (name/id) ${name} was not found in this key vault.`);
      const kid = `${fake.url}/keys/${name}/${v.version}`;
      if (req.method === "GET" && !op) {
        const jwk = v.publicKey.export({ format: "jwk" });
        return sendJson(res, 200, {
          key: { kid, kty: "RSA", key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"], n: jwk.n, e: jwk.e },
          attributes: { enabled: v.enabled, created: 1700000000, updated: 1700000000, recoveryLevel: "Recoverable" },
        });
      }
      if (req.method !== "POST" || !op) return kvError(res, 405, "BadParameter", "method not allowed");
      if (!v.enabled) return kvError(res, 403, "Forbidden", `Operation ${op} is not allowed on a disabled key.`);
      const body = JSON.parse(req.body || "{}") as { alg?: string; value?: string };
      if (body.alg !== "RSA-OAEP-256") return kvError(res, 400, "BadParameter", `unexpected algorithm ${String(body.alg)}`);
      const input = Buffer.from(body.value ?? "", "base64url");
      const opts = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };
      try {
        const out = op === "encrypt" || op === "wrapkey" ? publicEncrypt({ key: v.publicKey, ...opts }, input) : privateDecrypt({ key: v.privateKey, ...opts }, input);
        return sendJson(res, 200, { kid, value: out.toString("base64url") });
      } catch {
        return kvError(res, 400, "BadParameter", "Decryption failed.");
      }
    },
    { tls },
  );
  const fake: FakeAzureKv = Object.assign(server, {
    token: "fake-azure-token",
    challengeResource: "https://vault.azure.net",
    createKey(name: string) {
      const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const version = randomBytes(16).toString("hex");
      const list = keys.get(name) ?? [];
      list.push({ version, publicKey, privateKey, enabled: true });
      keys.set(name, list);
      return version;
    },
    disableVersion(name: string, version: string) {
      const v = keys.get(name)?.find((x) => x.version === version);
      if (v) v.enabled = false;
    },
  });
  return fake;
}
