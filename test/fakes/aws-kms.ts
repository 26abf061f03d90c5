import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startFakeServer, type Failure, type FakeServer, type RecordedRequest } from "./fake-server.js";
import { verifySigV4, type SigV4Credential } from "./sigv4.js";

/**
 * Fake AWS KMS (JSON 1.1, `X-Amz-Target: TrentService.Encrypt|Decrypt`) and STS
 * (query protocol `Action=AssumeRole`, XML answer) on one loopback server. Requests
 * must carry a valid SigV4 signature from a credential the fake knows; ciphertexts are
 * AES-GCM under a per-key secret with the encryption context as AAD, so a wrong context
 * fails like real KMS.
 */

export interface KmsCall {
  readonly target: string;
  readonly credential: SigV4Credential;
  readonly sessionToken?: string;
}

export interface AssumedRole {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly accessKeyId: string;
}

export interface FakeAwsKms extends FakeServer {
  /** Create a symmetric key; returns its key ARN. */
  createKey(region?: string, account?: string): string;
  /** Make `aliasArn` point at `keyArn`. */
  addAlias(aliasArn: string, keyArn: string): void;
  /** Disable a key (Encrypt/Decrypt then fail with DisabledException). */
  disableKey(keyArn: string): void;
  /** Credentials the fake accepts: access key id → secret. */
  readonly secrets: Map<string, string>;
  readonly kmsCalls: KmsCall[];
  readonly assumedRoles: AssumedRole[];
}

const FAILURES: Partial<Record<Failure, [number, string]>> = {
  unauthorized: [400, "UnrecognizedClientException"],
  forbidden: [400, "AccessDeniedException"],
  "not-found": [400, "NotFoundException"],
  disabled: [400, "DisabledException"],
  "server-error": [500, "KMSInternalException"],
  throttle: [400, "ThrottlingException"],
};

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { __type: type, message }, { "x-amzn-errortype": type });
}

function canonicalContext(ctx: unknown): Buffer {
  const obj = (ctx ?? {}) as Record<string, string>;
  return Buffer.from(JSON.stringify(Object.keys(obj).sort().map((k) => [k, obj[k]])));
}

/** Start the fake. Remember to `close()` it. */
export async function startFakeAwsKms(): Promise<FakeAwsKms> {
  const keys = new Map<string, { secret: Buffer; enabled: boolean }>();
  const aliases = new Map<string, string>();
  const secrets = new Map<string, string>();
  const tokens = new Map<string, string>();
  const kmsCalls: KmsCall[] = [];
  const assumedRoles: AssumedRole[] = [];
  let counter = 0;

  const resolve = (id: string): string | undefined => (keys.has(id) ? id : aliases.get(id));

  const handleKms = (req: RecordedRequest, res: ServerResponse, target: string, cred: SigV4Credential): void => {
    if (cred.service !== "kms") return awsError(res, 400, "InvalidSignatureException", `credential scope service ${cred.service} is not kms`);
    const sessionToken = req.headers["x-amz-security-token"] as string | undefined;
    const issued = tokens.get(cred.accessKeyId);
    if (issued !== undefined && issued !== sessionToken) return awsError(res, 400, "UnrecognizedClientException", "the security token included in the request is invalid");
    kmsCalls.push({ target, credential: cred, ...(sessionToken ? { sessionToken } : {}) });
    const body = JSON.parse(req.body || "{}") as Record<string, unknown>;
    if (target === "TrentService.Encrypt") {
      const arn = resolve(String(body.KeyId));
      const key = arn ? keys.get(arn) : undefined;
      if (!arn || !key) return awsError(res, 400, "NotFoundException", `key '${String(body.KeyId)}' does not exist`);
      if (!arn.includes(`:kms:${cred.region}:`)) return awsError(res, 400, "NotFoundException", "key is in another region");
      if (!key.enabled) return awsError(res, 400, "DisabledException", `${arn} is disabled.`);
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key.secret, iv).setAAD(canonicalContext(body.EncryptionContext));
      const ct = Buffer.concat([cipher.update(Buffer.from(String(body.Plaintext), "base64")), cipher.final()]);
      const arnBytes = Buffer.from(arn);
      const blob = Buffer.concat([Buffer.from([arnBytes.length]), arnBytes, iv, cipher.getAuthTag(), ct]);
      return sendJson(res, 200, { CiphertextBlob: blob.toString("base64"), KeyId: arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
    }
    if (target === "TrentService.Decrypt") {
      const blob = Buffer.from(String(body.CiphertextBlob), "base64");
      const len = blob[0] ?? 0;
      const arn = blob.subarray(1, 1 + len).toString();
      const key = keys.get(arn);
      if (!key || blob.length < 1 + len + 28) return awsError(res, 400, "InvalidCiphertextException", "");
      if (body.KeyId !== undefined && resolve(String(body.KeyId)) !== arn) return awsError(res, 400, "IncorrectKeyException", "the key id does not match");
      if (!key.enabled) return awsError(res, 400, "DisabledException", `${arn} is disabled.`);
      const iv = blob.subarray(1 + len, 13 + len);
      const tag = blob.subarray(13 + len, 29 + len);
      try {
        const d = createDecipheriv("aes-256-gcm", key.secret, iv).setAAD(canonicalContext(body.EncryptionContext)).setAuthTag(tag);
        const pt = Buffer.concat([d.update(blob.subarray(29 + len)), d.final()]);
        return sendJson(res, 200, { Plaintext: pt.toString("base64"), KeyId: arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
      } catch {
        return awsError(res, 400, "InvalidCiphertextException", "");
      }
    }
    return awsError(res, 400, "UnknownOperationException", target);
  };

  const handleSts = (req: RecordedRequest, res: ServerResponse, cred: SigV4Credential): void => {
    const form = new URLSearchParams(req.body);
    if (cred.service !== "sts" || form.get("Action") !== "AssumeRole") {
      res.writeHead(400, { "content-type": "text/xml" });
      return void res.end("<ErrorResponse><Error><Code>InvalidAction</Code><Message>bad</Message></Error></ErrorResponse>");
    }
    counter++;
    const accessKeyId = `ASIAFAKE${String(counter).padStart(8, "0")}`;
    const secret = randomBytes(20).toString("hex");
    const token = randomBytes(16).toString("hex");
    secrets.set(accessKeyId, secret);
    tokens.set(accessKeyId, token);
    const roleArn = form.get("RoleArn") ?? "";
    const sessionName = form.get("RoleSessionName") ?? "";
    assumedRoles.push({ roleArn, sessionName, accessKeyId });
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
        `<AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey><SessionToken>${token}</SessionToken>` +
        `<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:${sessionName}</AssumedRoleId>` +
        `<Arn>${roleArn}/${sessionName}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r${counter}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  };

  const server = await startFakeServer((req, res, takeFailure) => {
    const target = req.headers["x-amz-target"] as string | undefined;
    const sig = verifySigV4(req, secrets);
    if (!sig.ok) {
      const type = sig.error === "unknown-key" ? "UnrecognizedClientException" : sig.error === "bad-signature" ? "InvalidSignatureException" : "MissingAuthenticationTokenException";
      return awsError(res, 400, type, `signature check failed: ${sig.error}`);
    }
    const failure = takeFailure();
    const injected = failure ? FAILURES[failure] : undefined;
    if (injected) return awsError(res, injected[0], injected[1], `injected ${failure}`);
    if (target) return handleKms(req, res, target, sig.credential);
    return handleSts(req, res, sig.credential);
  });

  return Object.assign(server, {
    secrets,
    kmsCalls,
    assumedRoles,
    createKey(region = "us-east-1", account = "111122223333") {
      const arn = `arn:aws:kms:${region}:${account}:key/${randomBytes(16).toString("hex")}`;
      keys.set(arn, { secret: randomBytes(32), enabled: true });
      return arn;
    },
    addAlias(aliasArn: string, keyArn: string) {
      aliases.set(aliasArn, keyArn);
    },
    disableKey(keyArn: string) {
      const k = keys.get(keyArn);
      if (k) k.enabled = false;
    },
  });
}
