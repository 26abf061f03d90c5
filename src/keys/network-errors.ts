/**
 * Plain-words classification of failures from the network key sources (AWS KMS, GCP
 * Cloud KMS, Azure Key Vault, Vault transit). Each SDK reports the same few situations
 * in its own shape (Node system errors, HTTP status, AWS exception names, gRPC codes,
 * Azure RestError codes); users need one vocabulary and a next step for each.
 */

/** The network key services, as named in hints and retry options. */
export type NetworkService = "aws-kms" | "gcp-kms" | "azure-kv" | "hc-vault";

/** What went wrong, independent of the service. */
export type NetworkErrorKind =
  | "connection-refused"
  | "host-not-found"
  | "connection-reset"
  | "tls"
  | "auth"
  | "permission"
  | "not-found"
  | "disabled"
  | "invalid-ciphertext"
  | "throttled"
  | "server"
  | "timeout"
  | "other";

/** The result of {@link classifyNetworkError}. */
export interface ClassifiedNetworkError {
  readonly kind: NetworkErrorKind;
  /** Lowercase plain words, e.g. "permission denied (HTTP 403)". Never secrets. */
  readonly reason: string;
  /** What the user can do about it. */
  readonly hint: string;
  /** Whether trying again may help (5xx, resets, throttling). Never for 4xx. */
  readonly retryable: boolean;
}

/** Marker thrown by the retry helper when one attempt exceeded its time limit. */
export class NetworkTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`timed out after ${formatSeconds(timeoutMs)}`);
    this.name = "NetworkTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

const AUTH_HINTS: Record<NetworkService, string> = {
  "aws-kms":
    "check your AWS credentials: AWS_PROFILE or --aws-profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or `aws sso login`",
  "gcp-kms":
    "check your Google credentials: `gcloud auth application-default login`, GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_CREDENTIALS or GOOGLE_OAUTH_ACCESS_TOKEN",
  "azure-kv":
    "check your Azure credentials: `az login`, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or a managed identity",
  "hc-vault": "check your Vault token: VAULT_TOKEN, ~/.vault-token (`vault login`), or VAULT_ROLE_ID/VAULT_SECRET_ID",
};

const PERMISSION_HINTS: Record<NetworkService, string> = {
  "aws-kms": "the key policy or IAM policy must allow kms:Encrypt and kms:Decrypt for your identity (and the encryption context)",
  "gcp-kms": "grant roles/cloudkms.cryptoKeyEncrypterDecrypter on the key to your identity",
  "azure-kv": "grant the key permissions encrypt and decrypt (or the Key Vault Crypto User role) to your identity",
  "hc-vault":
    "your Vault token may be invalid or expired (VAULT_TOKEN, ~/.vault-token), or its policy must allow update on <engine>/encrypt/<key> and <engine>/decrypt/<key>",
};

const ENDPOINT_HINTS: Record<NetworkService, string> = {
  "aws-kms": "check the ARN's region, your network, and AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL if set",
  "gcp-kms": "check your network and SOPS_GCP_KMS_ENDPOINT if set",
  "azure-kv": "check the vault URL and your network",
  "hc-vault": "check the vault address in the key URI, that Vault is running, and SOPS_HC_VAULT_ALLOWLIST",
};

const TLS_HINTS: Record<NetworkService, string> = {
  "aws-kms": "trust the server's CA with NODE_EXTRA_CA_CERTS (or AWS_CA_BUNDLE), or fix the endpoint's certificate",
  "gcp-kms": "trust the server's CA with NODE_EXTRA_CA_CERTS, or fix the endpoint's certificate",
  "azure-kv": "trust the server's CA with SOBRE_AZURE_KV_CA or NODE_EXTRA_CA_CERTS, or fix the vault's certificate",
  "hc-vault": "trust the server's CA with VAULT_CACERT (or VAULT_SKIP_VERIFY=true for testing only)",
};

const NOT_FOUND_HINTS: Record<NetworkService, string> = {
  "aws-kms": "check the key ARN and region; an alias must exist in that account and region",
  "gcp-kms": "check the resource id projects/…/locations/…/keyRings/…/cryptoKeys/…",
  "azure-kv": "check the key URL https://NAME.vault.azure.net/keys/KEY[/VERSION]",
  "hc-vault": "check the engine path and key name (`vault list <engine>/keys`)",
};

/** Facts gathered from an error and its cause chain. */
interface Facts {
  codes: string[];
  names: string[];
  messages: string[];
  status?: number;
  grpc?: number;
}

/**
 * Classify a failure from any of the four network key clients into plain words and a
 * hint. Looks through `cause` chains and AggregateErrors, since SDKs wrap socket errors.
 */
export function classifyNetworkError(err: unknown, service: NetworkService): ClassifiedNetworkError {
  const f = gatherFacts(err);
  const has = (...codes: string[]): boolean => codes.some((c) => f.codes.includes(c) || f.names.includes(c));
  const text = f.messages.join(" | ").toLowerCase();
  const status = f.status === undefined ? "" : ` (HTTP ${f.status})`;
  const make = (kind: NetworkErrorKind, reason: string, hint: string, retryable = false): ClassifiedNetworkError => ({
    kind,
    reason,
    hint,
    retryable,
  });

  if (err instanceof NetworkTimeoutError || has("NetworkTimeoutError", "TimeoutError", "ETIMEDOUT") || f.grpc === 4) {
    const limit = err instanceof NetworkTimeoutError ? ` after ${formatSeconds(err.timeoutMs)}` : "";
    return make("timeout", `timed out${limit}`, `the service did not answer in time; ${ENDPOINT_HINTS[service]}, or raise SOBRE_KMS_TIMEOUT (seconds)`);
  }
  if (has("ECONNREFUSED")) {
    return make("connection-refused", "connection refused", ENDPOINT_HINTS[service]);
  }
  if (has("ENOTFOUND", "EAI_AGAIN")) {
    return make("host-not-found", "host not found", ENDPOINT_HINTS[service], has("EAI_AGAIN"));
  }
  if (isTlsFailure(f)) {
    const detail = f.codes.find((c) => TLS_CODES.has(c) || c.startsWith("ERR_TLS") || c.startsWith("ERR_SSL"));
    return make("tls", `TLS failure${detail ? ` (${detail})` : ""}`, TLS_HINTS[service]);
  }
  if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "ECONNABORTED") || text.includes("socket hang up")) {
    return make("connection-reset", "connection reset", ENDPOINT_HINTS[service], true);
  }
  if (
    has("ThrottlingException", "TooManyRequestsException", "LimitExceededException", "Throttling") ||
    f.status === 429 ||
    f.grpc === 8
  ) {
    return make("throttled", `request throttled${status}`, "the service is rate-limiting you; try again later", true);
  }
  if (isDisabled(f, text)) {
    return make("disabled", `key or key version disabled${status}`, "enable the key (version) in the service, or re-encrypt with `sobre updatekeys`");
  }
  if (has("InvalidCiphertextException", "IncorrectKeyException") || text.includes("invalid ciphertext")) {
    return make(
      "invalid-ciphertext",
      `the service rejected the encrypted data key${status}`,
      "the file's data key was not encrypted with this key (or with a different encryption context)",
    );
  }
  if (isAuthFailure(f, text)) {
    return make("auth", `authentication failed${status}`, AUTH_HINTS[service]);
  }
  if (
    has("AccessDeniedException", "Forbidden", "AuthorizationFailed") ||
    f.status === 403 ||
    f.grpc === 7 ||
    text.includes("permission denied")
  ) {
    return make("permission", `permission denied${status}`, PERMISSION_HINTS[service]);
  }
  const clientError = f.status !== undefined && f.status >= 400 && f.status < 500;
  if (has("NotFoundException", "KeyNotFound", "NotFound") || f.status === 404 || f.grpc === 5 || (clientError && /\bnot found\b/.test(text))) {
    return make("not-found", `key not found${status}`, NOT_FOUND_HINTS[service]);
  }
  if ((f.status !== undefined && f.status >= 500) || f.grpc === 14 || f.grpc === 13 || has("KMSInternalException", "DependencyTimeoutException")) {
    return make("server", `service error${status}`, "the service failed; try again later", true);
  }
  const first = f.messages.find((m) => m.length > 0) ?? "unknown error";
  return make("other", `${firstLine(first).toLowerCase()}${status}`, ENDPOINT_HINTS[service]);
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

function isTlsFailure(f: Facts): boolean {
  return f.codes.some((c) => TLS_CODES.has(c) || c.startsWith("ERR_TLS") || c.startsWith("ERR_SSL"));
}

function isDisabled(f: Facts, text: string): boolean {
  const names = ["DisabledException", "KMSInvalidStateException", "KeyDisabled"];
  if (names.some((n) => f.names.includes(n) || f.codes.includes(n))) return true;
  const clientError = (f.status !== undefined && f.status >= 400 && f.status < 500) || f.grpc === 9;
  return clientError && /\b(disabled|not enabled|pending deletion|destroyed|disallowed by policy)\b/.test(text);
}

function isAuthFailure(f: Facts, text: string): boolean {
  const names = [
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "CredentialsProviderError",
    "CredentialUnavailableError",
    "AuthenticationError",
    "Unauthorized",
  ];
  if (names.some((n) => f.names.includes(n) || f.codes.includes(n))) return true;
  if (f.status === 401 || f.grpc === 16) return true;
  return text.includes("could not load credentials") || text.includes("could not load the default credentials");
}

function gatherFacts(err: unknown): Facts {
  const facts: Facts = { codes: [], names: [], messages: [] };
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (e === null || typeof e !== "object" || seen.has(e) || depth > 8) return;
    seen.add(e);
    const o = e as Record<string, unknown>;
    if (typeof o.code === "string") facts.codes.push(o.code);
    if (typeof o.code === "number" && typeof o.details === "string" && facts.grpc === undefined) facts.grpc = o.code;
    if (typeof o.name === "string") facts.names.push(o.name);
    if (typeof o.__type === "string") facts.names.push(o.__type.split("#").pop() ?? o.__type);
    if (typeof o.message === "string") facts.messages.push(o.message);
    const status = statusOf(o);
    if (status !== undefined && facts.status === undefined) facts.status = status;
    visit(o.cause, depth + 1);
    if (Array.isArray(o.errors)) for (const inner of o.errors) visit(inner, depth + 1);
  };
  visit(err, 0);
  if (facts.grpc === undefined) facts.grpc = grpcCodeOf(err);
  return facts;
}

function statusOf(o: Record<string, unknown>): number | undefined {
  for (const v of [o.statusCode, o.status, (o.$metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode]) {
    if (typeof v === "number" && v >= 100 && v < 600) return v;
  }
  const response = o.response as { status?: unknown } | undefined;
  if (response && typeof response.status === "number") return response.status;
  return undefined;
}

/** google-gax GoogleError: numeric gRPC `code` (its `details` may be absent in REST mode). */
function grpcCodeOf(err: unknown): number | undefined {
  if (err && typeof err === "object" && (err as { name?: unknown }).name === "GoogleError") {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "number") return code;
  }
  return undefined;
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? s;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** "30 s", "0.2 s": how users set SOBRE_KMS_TIMEOUT. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
