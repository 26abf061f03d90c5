import { describe, expect, it } from "vitest";
import { KeyAccessError } from "../../src/errors.js";
import { callPolicyFromEnv, callWithRetry, keyFailure } from "../../src/keys/network-call.js";
import { classifyNetworkError, NetworkTimeoutError } from "../../src/keys/network-errors.js";

/** Error shapes as the SDKs raise them (field names from their sources). */
const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("classifyNetworkError", () => {
  it.each([
    ["node ECONNREFUSED inside a cause", new Error("fetch failed", { cause: sysErr("ECONNREFUSED") }), "connection-refused", false],
    ["AggregateError of refusals", Object.assign(new AggregateError([sysErr("ECONNREFUSED")], "x"), { code: "ECONNREFUSED" }), "connection-refused", false],
    ["DNS failure", sysErr("ENOTFOUND", "getaddrinfo ENOTFOUND kms.example"), "host-not-found", false],
    ["self-signed certificate", sysErr("DEPTH_ZERO_SELF_SIGNED_CERT"), "tls", false],
    ["socket reset", sysErr("ECONNRESET"), "connection-reset", true],
    ["AWS AccessDeniedException", Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } }), "permission", false],
    ["AWS ThrottlingException", Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }), "throttled", true],
    ["AWS KMSInternalException 500", Object.assign(new Error("x"), { name: "KMSInternalException", $metadata: { httpStatusCode: 500 } }), "server", true],
    ["AWS no credentials", Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), "auth", false],
    ["AWS KMSInvalidStateException", Object.assign(new Error("pending deletion"), { name: "KMSInvalidStateException" }), "disabled", false],
    ["gRPC PERMISSION_DENIED", Object.assign(new Error("7 PERMISSION_DENIED"), { code: 7, details: "denied" }), "permission", false],
    ["gRPC UNAVAILABLE", Object.assign(new Error("14 UNAVAILABLE"), { code: 14, details: "down" }), "server", true],
    ["gRPC FAILED_PRECONDITION disabled", Object.assign(new Error("is not enabled, current state is: DISABLED"), { code: 9, details: "x" }), "disabled", false],
    ["Azure RestError 404", Object.assign(new Error("not found"), { name: "RestError", code: "KeyNotFound", statusCode: 404 }), "not-found", false],
    ["Azure CredentialUnavailableError", Object.assign(new Error("no az"), { name: "CredentialUnavailableError" }), "auth", false],
    ["HTTP 429", Object.assign(new Error("quota"), { status: 429 }), "throttled", true],
    ["HTTP 401", Object.assign(new Error("who"), { status: 401 }), "auth", false],
    ["HTTP 503", Object.assign(new Error("sealed"), { status: 503 }), "server", true],
  ] as const)("%s → %s", (_, err, kind, retryable) => {
    const c = classifyNetworkError(err, "aws-kms");
    expect(c.kind).toBe(kind);
    expect(c.retryable).toBe(retryable);
    expect(c.hint.length).toBeGreaterThan(10);
  });

  it("names the timeout", () => {
    expect(classifyNetworkError(new NetworkTimeoutError(1500), "hc-vault").reason).toBe("timed out after 1.5 s");
  });

  it("gives service-specific hints", () => {
    const err = Object.assign(new Error("x"), { status: 403 });
    expect(classifyNetworkError(err, "gcp-kms").hint).toMatch(/cryptoKeyEncrypterDecrypter/);
    expect(classifyNetworkError(err, "azure-kv").hint).toMatch(/Crypto User/);
  });

  it("falls back to the first line of the message", () => {
    const c = classifyNetworkError(new Error("Something Odd\nstack-ish"), "azure-kv");
    expect(c).toMatchObject({ kind: "other", reason: "something odd", retryable: false });
  });
});

describe("callPolicyFromEnv", () => {
  it("defaults to 30 s and 2 retries; reads SOBRE_KMS_TIMEOUT / SOBRE_KMS_RETRIES", () => {
    expect(callPolicyFromEnv({})).toMatchObject({ timeoutMs: 30_000, retries: 2 });
    expect(callPolicyFromEnv({ SOBRE_KMS_TIMEOUT: "2.5", SOBRE_KMS_RETRIES: "0" })).toMatchObject({ timeoutMs: 2500, retries: 0 });
    expect(callPolicyFromEnv({ SOBRE_KMS_TIMEOUT: "soon", SOBRE_KMS_RETRIES: "-1" })).toMatchObject({ timeoutMs: 30_000, retries: 2 });
  });
});

describe("callWithRetry", () => {
  const policy = { timeoutMs: 200, retries: 2, baseDelayMs: 1 };

  it("retries retryable failures up to the limit", async () => {
    let calls = 0;
    await expect(
      callWithRetry(async () => {
        calls++;
        throw sysErr("ECONNRESET");
      }, "hc-vault", policy),
    ).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(calls).toBe(3);
  });

  it("does not retry client errors", async () => {
    let calls = 0;
    await expect(
      callWithRetry(async () => {
        calls++;
        throw Object.assign(new Error("no"), { status: 403 });
      }, "hc-vault", policy),
    ).rejects.toThrow("no");
    expect(calls).toBe(1);
  });

  it("aborts a slow attempt even if the operation ignores its signal", async () => {
    let aborted = false;
    const started = Date.now();
    await expect(
      callWithRetry(
        (signal) => {
          signal.addEventListener("abort", () => (aborted = true));
          return new Promise(() => undefined);
        },
        "hc-vault",
        policy,
      ),
    ).rejects.toBeInstanceOf(NetworkTimeoutError);
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("keyFailure", () => {
  it("builds one KeyAccessError per key with reason and hint", () => {
    const key = { type: "hc_vault" as const, id: "https://v:8200/v1/transit/keys/a", fields: {} };
    const err = keyFailure(sysErr("ECONNREFUSED"), { service: "hc-vault", label: "Vault transit", key, action: "unwrap" });
    expect(err).toBeInstanceOf(KeyAccessError);
    expect(err.message).toBe("Vault transit key https://v:8200/v1/transit/keys/a: could not decrypt the data key: connection refused");
    expect(err.failures).toEqual([{ key: key.id, type: "hc_vault", reason: "connection refused", hint: err.hint }]);
  });
});
