import { hostname } from "node:os";
import type { KMSClient } from "@aws-sdk/client-kms";
import { callPolicyFromEnv, callWithRetry, keyFailure, keyProblem, type FailureContext } from "../network-call.js";
import type { KeyContext, KeySourceClient, MasterKey } from "../types.js";
import { kmsFieldsOf, regionOfArn, type KmsKeyFields } from "./index.js";

/**
 * AWS KMS client: the only code that loads `@aws-sdk/client-kms` / `client-sts`.
 * Region comes from the ARN; credentials from `aws_profile` / `--aws-profile`, else the
 * SDK default chain; `role` is assumed through STS first. SDK retries are off: the
 * shared policy in ../network-call.ts times out and retries every call.
 */

const SERVICE = "aws-kms" as const;
const LABEL = "AWS KMS";

type Env = KeyContext["env"];

interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SOPS's STS session name: `sops@<hostname>` keeping only SOPS's allowed characters, ≤64. */
export function stsSessionName(host = hostname()): string {
  // SOPS's class `[^a-zA-Z0-9=,.@-_]` contains the range '@'..'_'; keep exactly that set.
  const name = `sops@${host.replace(/[^a-zA-Z0-9=,.@-_]+/g, "")}`;
  return name.length >= 64 ? name.slice(0, 64) : name;
}

/** Endpoint override for one AWS service, as the AWS SDKs read it from the environment. */
function endpointFor(env: Env, service: "KMS" | "STS"): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** Static credentials from the injected environment, so tests and callers stay hermetic. */
function envCredentials(env: Env): AwsCredentialIdentity | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

interface BaseConfig {
  region: string;
  profile?: string;
  credentials?: AwsCredentialIdentity;
}

/** Credentials for the key: profile > env keys > SDK default chain; then the role, if any. */
async function baseConfig(f: KmsKeyFields, region: string, ctx: KeyContext, signal: AbortSignal): Promise<BaseConfig> {
  const profile = f.awsProfile || ctx.awsProfile || undefined;
  const base: BaseConfig = { region };
  if (profile) base.profile = profile;
  else {
    const creds = envCredentials(ctx.env);
    if (creds) base.credentials = creds;
  }
  if (!f.role) return base;
  return { region, credentials: await assumeRole(f.role, base, ctx, signal) };
}

async function assumeRole(role: string, base: BaseConfig, ctx: KeyContext, signal: AbortSignal): Promise<AwsCredentialIdentity> {
  const cacheKey = `aws-kms:sts:${role}|${base.profile ?? ""}|${base.region}`;
  const cached = ctx.cache.get(cacheKey) as AwsCredentialIdentity | undefined;
  if (cached) return cached;
  const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
  const endpoint = endpointFor(ctx.env, "STS");
  const sts = new STSClient({ ...base, maxAttempts: 1, ...(endpoint ? { endpoint } : {}) });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: stsSessionName() }), { abortSignal: signal });
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`sts AssumeRole for ${role} returned no credentials`);
  const creds: AwsCredentialIdentity = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
  };
  ctx.cache.set(cacheKey, creds);
  return creds;
}

async function kmsClient(f: KmsKeyFields, region: string, ctx: KeyContext, signal: AbortSignal): Promise<KMSClient> {
  const endpoint = endpointFor(ctx.env, "KMS");
  const cacheKey = `aws-kms:client:${region}|${f.awsProfile || ctx.awsProfile || ""}|${f.role}|${endpoint ?? ""}`;
  const cached = ctx.cache.get(cacheKey) as KMSClient | undefined;
  if (cached) return cached;
  // The SDK warns on Node < 22 via process.emitWarning, on every CLI run; not actionable here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { KMSClient: Client } = await import("@aws-sdk/client-kms");
  const config = await baseConfig(f, region, ctx, signal);
  const client = new Client({ ...config, maxAttempts: 1, ...(endpoint ? { endpoint } : {}) });
  ctx.cache.set(cacheKey, client);
  return client;
}

function setup(key: MasterKey, ctx: KeyContext, action: FailureContext["action"]) {
  const f = kmsFieldsOf(key);
  const failure: FailureContext = { service: SERVICE, label: LABEL, key, action };
  const region = regionOfArn(f.arn);
  if (!region) {
    throw keyProblem(failure, "not a valid AWS KMS key ARN", "use arn:aws:kms:REGION:ACCOUNT:key/ID or …:alias/NAME");
  }
  const context = Object.keys(f.context).length > 0 ? { ...f.context } : undefined;
  return { f, failure, region, context, policy: callPolicyFromEnv(ctx.env) };
}

/** The AWS KMS key source client. */
export const client: KeySourceClient = {
  async wrap(key, dataKey, ctx) {
    const { f, failure, region, context, policy } = setup(key, ctx, "wrap");
    try {
      const { EncryptCommand } = await import("@aws-sdk/client-kms");
      const out = await callWithRetry(
        async (signal) => {
          const kms = await kmsClient(f, region, ctx, signal);
          return kms.send(new EncryptCommand({ KeyId: f.arn, Plaintext: dataKey, EncryptionContext: context }), { abortSignal: signal });
        },
        SERVICE,
        policy,
      );
      if (!out.CiphertextBlob) throw new Error("kms Encrypt returned no ciphertext");
      return Buffer.from(out.CiphertextBlob).toString("base64");
    } catch (err) {
      throw keyFailure(err, failure);
    }
  },

  async unwrap(key, enc, ctx) {
    const { f, failure, region, context, policy } = setup(key, ctx, "unwrap");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(enc) || enc.length % 4 !== 0 || enc.length === 0) {
      throw keyProblem(failure, "the enc field is not valid base64", "the file's sops metadata is damaged; restore it from version control");
    }
    try {
      const { DecryptCommand } = await import("@aws-sdk/client-kms");
      const out = await callWithRetry(
        async (signal) => {
          const kms = await kmsClient(f, region, ctx, signal);
          const input = { KeyId: f.arn, CiphertextBlob: Buffer.from(enc, "base64"), EncryptionContext: context };
          return kms.send(new DecryptCommand(input), { abortSignal: signal });
        },
        SERVICE,
        policy,
      );
      if (!out.Plaintext) throw new Error("kms Decrypt returned no plaintext");
      return new Uint8Array(out.Plaintext);
    } catch (err) {
      throw keyFailure(err, failure);
    }
  },
};
