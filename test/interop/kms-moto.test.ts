import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../src/errors.js";
import { client } from "../../src/keys/aws-kms/client.js";
import { makeKmsKey } from "../../src/keys/aws-kms/index.js";
import { closedPort } from "../fakes/fake-server.js";
import { testKeyContext } from "../fakes/key-context.js";

/**
 * AWS KMS against a real emulator: moto's server (installed by .ci/install-kms-peers.sh),
 * reached through AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL_STS as a user would.
 */
const MOTO = process.env.SOBRE_MOTO_SERVER ?? join(homedir(), ".cache/sobre-kms-peers/moto-venv/bin/moto_server");
const hasMoto = existsSync(MOTO);

let moto: ChildProcess | undefined;
let url = "";

async function waitReady(u: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${u}/moto-api/`)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("moto_server did not start");
}

beforeAll(async () => {
  if (!hasMoto) return;
  const port = await closedPort();
  url = `http://127.0.0.1:${port}`;
  moto = spawn(MOTO, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", env: { PATH: process.env.PATH ?? "", HOME: testKeyContext().home } });
  await waitReady(url);
});
afterAll(() => {
  moto?.kill();
});

describe.skipIf(!hasMoto)("aws-kms against moto_server (run .ci/install-kms-peers.sh)", () => {
  const env = () => ({ AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_ENDPOINT_URL_KMS: url, AWS_ENDPOINT_URL_STS: url });

  async function createKey(region: string): Promise<string> {
    const kms = new KMSClient({ region, endpoint: url, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    const out = await kms.send(new CreateKeyCommand({ Description: "sobre interop" }));
    return out.KeyMetadata?.Arn ?? "";
  }

  it("wraps and unwraps with encryption context; a wrong context fails", async () => {
    const arn = await createKey("eu-west-1");
    const ctx = testKeyContext(env());
    const key = makeKmsKey({ arn, role: "", context: { app: "sobre" }, awsProfile: "" });
    const dataKey = new Uint8Array(32).fill(42);
    const enc = await client.wrap(key, dataKey, ctx);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    const wrong = makeKmsKey({ arn, role: "", context: { app: "other" }, awsProfile: "" });
    await expect(client.unwrap(wrong, enc, ctx)).rejects.toBeInstanceOf(KeyAccessError);
  });

  it("assumes a role through STS first", async () => {
    const arn = await createKey("us-east-2");
    const key = makeKmsKey({ arn, role: "arn:aws:iam::123456789012:role/sops", context: {}, awsProfile: "" });
    const ctx = testKeyContext(env());
    const dataKey = new Uint8Array(32).fill(1);
    expect(await client.unwrap(key, await client.wrap(key, dataKey, ctx), ctx)).toEqual(dataKey);
  });

  it("reports a missing key in plain words", async () => {
    const key = makeKmsKey({ arn: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000", role: "", context: {}, awsProfile: "" });
    const err = await client.wrap(key, new Uint8Array(32), testKeyContext(env())).catch((e: unknown) => e);
    expect((err as KeyAccessError).failures[0]?.reason).toMatch(/^key not found/);
  });
});
