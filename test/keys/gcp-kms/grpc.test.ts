import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { client } from "../../../src/keys/gcp-kms/client.js";
import { makeGcpKey } from "../../../src/keys/gcp-kms/index.js";
import { startFakeGcpKmsGrpc, type FakeGcpKmsGrpc } from "../../fakes/gcp-kms-grpc.js";
import { testKeyContext } from "../../fakes/key-context.js";

const DATA_KEY = new Uint8Array(32).fill(7);
let fake: FakeGcpKmsGrpc;

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith("GOOGLE_") || k.startsWith("SOPS_") || k.startsWith("GCE_")) delete process.env[k];
  fake = await startFakeGcpKmsGrpc();
});
afterAll(() => fake.close());

describe("gcp-kms client (gRPC, the default client type)", () => {
  it("wraps and unwraps over a plaintext gRPC channel", async () => {
    const key = makeGcpKey(fake.store.createKey());
    // A static token keeps ADC (and the metadata server) out of the test.
    const ctx = testKeyContext({ SOPS_GCP_KMS_ENDPOINT: fake.url, GOOGLE_OAUTH_ACCESS_TOKEN: "unused-on-plaintext" });
    const enc = await client.wrap(key, DATA_KEY, ctx);
    expect(await client.unwrap(key, enc, ctx)).toEqual(DATA_KEY);
    expect(fake.calls.map((c) => c.method)).toEqual(["Encrypt", "Decrypt"]);
    expect(fake.calls[0]?.name).toBe(key.id);
  });

  it("classifies gRPC status codes", async () => {
    const key = makeGcpKey(fake.store.createKey());
    const ctx = testKeyContext({ SOPS_GCP_KMS_ENDPOINT: fake.url, GOOGLE_OAUTH_ACCESS_TOKEN: "x" });
    fake.inject("forbidden");
    const err = await client.wrap(key, DATA_KEY, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyAccessError);
    expect((err as KeyAccessError).failures[0]?.reason).toBe("permission denied");
    fake.inject("server-error");
    expect(await client.wrap(key, DATA_KEY, ctx)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
