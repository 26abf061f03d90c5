import { createHash, createHmac } from "node:crypto";
import type { RecordedRequest } from "./fake-server.js";

/**
 * Server-side AWS Signature Version 4 check for the fakes: parses the Authorization
 * header and recomputes the signature with the secret the fake issued, so a test proves
 * the client really signed for the right region and service.
 */

export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  readonly date: string;
}

export type SigV4Result = { ok: true; credential: SigV4Credential } | { ok: false; error: "missing" | "malformed" | "unknown-key" | "bad-signature" };

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** Verify `req`'s SigV4 signature against `secrets` (access key id → secret key). */
export function verifySigV4(req: RecordedRequest, secrets: ReadonlyMap<string, string>): SigV4Result {
  const auth = req.headers.authorization;
  if (!auth) return { ok: false, error: "missing" };
  const m = AUTH_RE.exec(auth);
  if (!m) return { ok: false, error: "malformed" };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  const secret = secrets.get(accessKeyId as string);
  if (secret === undefined) return { ok: false, error: "unknown-key" };
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const [path = "/", query = ""] = req.url.split("?");
  const canonicalQuery = query
    .split("&")
    .filter((p) => p)
    .sort()
    .join("&");
  const names = (signedHeaders as string).split(";");
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, sha256(req.body)].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const kDate = hmac(`AWS4${secret}`, date as string);
  const kSigning = hmac(hmac(hmac(kDate, region as string), service as string), "aws4_request");
  const expected = hmac(kSigning, stringToSign).toString("hex");
  if (expected !== signature) return { ok: false, error: "bad-signature" };
  return { ok: true, credential: { accessKeyId: accessKeyId as string, region: region as string, service: service as string, date: date as string } };
}
