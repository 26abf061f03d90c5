import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { descriptor } from "../../../src/keys/age/index.js";
import { identityToRecipient } from "../../../src/keys/age/keygen.js";
import { ROOT } from "../../helpers/paths.js";
import { makeCtx } from "./helpers.js";

const PATH = join(ROOT, "fixtures/keys/age-test-key.txt");

describe("fixtures/keys/age-test-key.txt", () => {
  it("is marked TEST-ONLY and its public key comment matches its secret", async () => {
    const lines = readFileSync(PATH, "utf8").split("\n");
    expect(lines[0]).toMatch(/^# TEST-ONLY key bundled with sobre .* never use it for real secrets$/);
    const recipient = /^# public key: (age1\S+)$/m.exec(lines.join("\n"))![1]!;
    const secret = lines.find((l) => l.startsWith("AGE-SECRET-KEY-1"))!;
    expect(await identityToRecipient(secret)).toBe(recipient);
  });

  it("decrypts what is wrapped for it through SOPS_AGE_KEY_FILE", async () => {
    const text = readFileSync(PATH, "utf8");
    const recipient = /^# public key: (age1\S+)$/m.exec(text)![1]!;
    const client = await descriptor.load();
    const key = descriptor.parseRefs(recipient)[0]!;
    const dataKey = new Uint8Array(32).fill(5);
    const enc = await client.wrap(key, dataKey, makeCtx());
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY_FILE: PATH } }))).toEqual(dataKey);
  });
});
