import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { descriptor } from "../../../src/keys/age/index.js";
import { generateIdentity, identityToRecipient, rfc3339Local } from "../../../src/keys/age/keygen.js";
import { AGE_BIN, HAS_AGE, tempDir } from "./helpers.js";

describe("generateIdentity", () => {
  it("returns keys.txt text in age-keygen's format", async () => {
    const now = new Date();
    const { identity, recipient } = await generateIdentity({ now });
    const lines = identity.split("\n");
    expect(lines[0]).toBe(`# created: ${rfc3339Local(now)}`);
    expect(lines[0]).toMatch(/^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(lines[1]).toBe(`# public key: ${recipient}`);
    expect(lines[2]).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(lines[3]).toBe("");
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(await identityToRecipient(lines[2]!)).toBe(recipient);
    expect(descriptor.parseRefs(recipient)).toHaveLength(1);
    const other = await generateIdentity();
    expect(other.recipient).not.toBe(recipient);
  });

  it("generates post-quantum identities on request", async () => {
    const { identity, recipient } = await generateIdentity({ postQuantum: true });
    expect(recipient.startsWith("age1pq1")).toBe(true);
    const secret = identity.split("\n")[2]!;
    expect(secret.startsWith("AGE-SECRET-KEY-PQ-1")).toBe(true);
    expect(await identityToRecipient(secret)).toBe(recipient);
  });

  it("never echoes a bad identity", async () => {
    await expect(identityToRecipient("AGE-SECRET-KEY-1NOTAKEYATALL")).rejects.toThrow(/^not a valid age identity$/);
  });

  it.skipIf(!HAS_AGE)("is accepted by age-keygen -y", async () => {
    const { identity, recipient } = await generateIdentity();
    const path = join(tempDir(), "k.txt");
    writeFileSync(path, identity);
    expect(execFileSync(join(AGE_BIN, "../age-keygen"), ["-y", path]).toString().trim()).toBe(recipient);
  });
});
