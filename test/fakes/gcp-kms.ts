import { createCipheriv, createDecipheriv, randomBytes, verify, type KeyObject } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startFakeServer, type Failure, type FakeServer } from "./fake-server.js";

/**
 * Fake Cloud KMS REST API (`POST /v1/{name}:encrypt|decrypt`, Google JSON errors),
 * requiring `Authorization: Bearer <token>`. Ciphertexts are AES-GCM under a per-key
 * secret with the key name as AAD, so another key cannot decrypt them.
 */

export interface FakeGcpKms extends FakeServer {
  /** The bearer token the fake accepts. */
  token: string;
  /** Also accept self-signed JWTs (RS256) from this service account, as Google does. */
  trustServiceAccount(email: string, publicKey: KeyObject): void;
  /** Create a key; returns its resource id. */
  createKey(name?: string): string;
  /** Disable the key's primary version. */
  disableKey(resourceId: string): void;
}

/** The state shared by the REST and gRPC faces: plain operations that throw GcpStatus. */
export class GcpStatus extends Error {
  constructor(
    readonly http: number,
    readonly status: string,
    readonly grpc: number,
    message: string,
  ) {
    super(message);
  }
}

const FAILURES: Partial<Record<Failure, GcpStatus>> = {
  unauthorized: new GcpStatus(401, "UNAUTHENTICATED", 16, "Request had invalid authentication credentials."),
  forbidden: new GcpStatus(403, "PERMISSION_DENIED", 7, "Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied on resource"),
  "not-found": new GcpStatus(404, "NOT_FOUND", 5, "CryptoKey not found."),
  disabled: new GcpStatus(400, "FAILED_PRECONDITION", 9, "The request cannot be fulfilled. Resource is not enabled, current state is: DISABLED."),
  "server-error": new GcpStatus(500, "INTERNAL", 13, "Internal error encountered."),
  throttle: new GcpStatus(429, "RESOURCE_EXHAUSTED", 8, "Quota exceeded."),
};

/** Key store and crypto of the fake, independent of the wire protocol. */
export class GcpKeyStore {
  private readonly keys = new Map<string, { secret: Buffer; enabled: boolean }>();
  private counter = 0;

  createKey(name = `key${++this.counter}`): string {
    const id = `projects/sobre-test/locations/global/keyRings/ring/cryptoKeys/${name}`;
    this.keys.set(id, { secret: randomBytes(32), enabled: true });
    return id;
  }

  disableKey(id: string): void {
    const k = this.keys.get(id);
    if (k) k.enabled = false;
  }

  private get(name: string) {
    const k = this.keys.get(name);
    if (!k) throw FAILURES["not-found"] as GcpStatus;
    if (!k.enabled) throw FAILURES.disabled as GcpStatus;
    return k;
  }

  /** Injected failure → status, for both faces. */
  static failure(f: Failure | undefined): GcpStatus | undefined {
    return f ? FAILURES[f] : undefined;
  }

  encrypt(name: string, plaintext: Buffer): Buffer {
    const k = this.get(name);
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", k.secret, iv).setAAD(Buffer.from(name));
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]);
  }

  decrypt(name: string, blob: Buffer): Buffer {
    const k = this.get(name);
    try {
      const d = createDecipheriv("aes-256-gcm", k.secret, blob.subarray(0, 12)).setAAD(Buffer.from(name)).setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]);
    } catch {
      throw new GcpStatus(400, "INVALID_ARGUMENT", 3, "Decryption failed: the ciphertext is invalid.");
    }
  }
}

function sendStatus(res: ServerResponse, s: GcpStatus): void {
  sendJson(res, s.http, { error: { code: s.http, message: s.message, status: s.status } });
}

/** Start the REST fake. */
export async function startFakeGcpKms(): Promise<FakeGcpKms> {
  const store = new GcpKeyStore();
  const accounts = new Map<string, KeyObject>();
  const isAuthorized = (header: string): boolean => {
    if (header === `Bearer ${fake.token}`) return true;
    const jwt = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header);
    if (!jwt) return false;
    const claims = JSON.parse(Buffer.from(jwt[2] as string, "base64url").toString()) as { iss?: string; exp?: number };
    const key = accounts.get(claims.iss ?? "");
    if (!key || (claims.exp ?? 0) * 1000 < Date.now()) return false;
    return verify("sha256", Buffer.from(`${jwt[1]}.${jwt[2]}`), key, Buffer.from(jwt[3] as string, "base64url"));
  };
  const server = await startFakeServer((req, res, takeFailure) => {
    const path = decodeURIComponent(req.url.split("?")[0] ?? "");
    if (!isAuthorized(String(req.headers.authorization ?? ""))) return sendStatus(res, FAILURES.unauthorized as GcpStatus);
    const injected = GcpKeyStore.failure(takeFailure());
    if (injected) return sendStatus(res, injected);
    const m = /^\/v1\/(.+):(encrypt|decrypt)$/.exec(path);
    if (req.method !== "POST" || !m) return sendStatus(res, new GcpStatus(404, "NOT_FOUND", 5, `no route ${req.method} ${path}`));
    const name = m[1] as string;
    const body = JSON.parse(req.body || "{}") as { plaintext?: string; ciphertext?: string };
    try {
      if (m[2] === "encrypt") {
        const ct = store.encrypt(name, Buffer.from(body.plaintext ?? "", "base64"));
        return sendJson(res, 200, { name: `${name}/cryptoKeyVersions/1`, ciphertext: ct.toString("base64") });
      }
      const pt = store.decrypt(name, Buffer.from(body.ciphertext ?? "", "base64"));
      return sendJson(res, 200, { plaintext: pt.toString("base64"), usedPrimary: true });
    } catch (err) {
      if (err instanceof GcpStatus) return sendStatus(res, err);
      throw err;
    }
  });
  const fake: FakeGcpKms = Object.assign(server, {
    token: "ya29.fake-token",
    trustServiceAccount: (email: string, publicKey: KeyObject) => void accounts.set(email, publicKey),
    createKey: (name?: string) => store.createKey(name),
    disableKey: (id: string) => store.disableKey(id),
  });
  return fake;
}
