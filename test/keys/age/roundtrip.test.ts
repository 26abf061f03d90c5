import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { bech32Encode } from "../../../src/keys/age/bech32.js";
import { armor, dearmor } from "../../../src/keys/age/format.js";
import { descriptor } from "../../../src/keys/age/index.js";
import { generateIdentity } from "../../../src/keys/age/keygen.js";
import { makeCtx, tempDir } from "./helpers.js";

const client = await descriptor.load();
const dataKey = new Uint8Array(32).map((_, i) => i + 1);
const share = new Uint8Array(33).map((_, i) => 200 - i); // a Shamir share is 33 bytes

function secretLine(identityText: string): string {
  return identityText.split("\n").find((l) => l.startsWith("AGE-"))!;
}

function hasSshKeygen(): boolean {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
  return true;
}
const SSH_KEYGEN = hasSshKeygen();

describe("X25519 (native)", async () => {
  const { identity, recipient } = await generateIdentity();
  const key = descriptor.parseRefs(recipient)[0]!;

  it("wraps into one armored X25519 stanza and unwraps exactly 32 or 33 bytes", async () => {
    for (const dk of [dataKey, share]) {
      const enc = await client.wrap(key, dk, makeCtx());
      expect(enc.startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n")).toBe(true);
      expect(enc.endsWith("-----END AGE ENCRYPTED FILE-----\n")).toBe(true);
      const header = Buffer.from(dearmor(enc)).toString("latin1");
      expect(header.match(/^-> /gm)).toHaveLength(1);
      expect(header).toMatch(/^-> X25519 /m);
      const ctx = makeCtx({ env: { SOPS_AGE_KEY: secretLine(identity) } });
      expect(await client.unwrap(key, enc, ctx)).toEqual(dk);
    }
  });

  it("returns null when no identity matches, or none is configured", async () => {
    const enc = await client.wrap(key, dataKey, makeCtx());
    const other = await generateIdentity();
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY: secretLine(other.identity) } }))).toBeNull();
    expect(await client.unwrap(key, enc, makeCtx())).toBeNull();
  });

  it("throws when the matching identity finds the file corrupt", async () => {
    const enc = await client.wrap(key, dataKey, makeCtx());
    const bytes = dearmor(enc);
    bytes[bytes.length - 1]! ^= 1;
    const ctx = makeCtx({ env: { SOPS_AGE_KEY: secretLine(identity) } });
    await expect(client.unwrap(key, armor(bytes), ctx)).rejects.toThrow(KeyAccessError);
    await expect(client.unwrap(key, armor(bytes), ctx)).rejects.toThrow(/corrupt/);
    await expect(client.unwrap(key, "-----BEGIN AGE ENCRYPTED FILE-----\nnope\n", ctx)).rejects.toThrow(/not a valid age file/);
  });
});

describe("post-quantum (age-encryption)", () => {
  it("wraps for age1pq1 and unwraps with AGE-SECRET-KEY-PQ-1", async () => {
    const { identity, recipient } = await generateIdentity({ postQuantum: true });
    expect(recipient.startsWith("age1pq1")).toBe(true);
    const key = descriptor.parseRefs(recipient)[0]!;
    const enc = await client.wrap(key, share, makeCtx());
    expect(Buffer.from(dearmor(enc)).toString("latin1")).toMatch(/^-> mlkem768x25519 /m);
    const home = tempDir();
    writeFileSync(join(home, "keys.txt"), identity);
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY_FILE: join(home, "keys.txt") } }))).toEqual(share);
    // An X25519 key does not match a PQ stanza.
    const other = await generateIdentity();
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY: secretLine(other.identity) } }))).toBeNull();
  });
});

describe.skipIf(!SSH_KEYGEN)("SSH recipients (ssh-keygen keys)", () => {
  for (const [type, file, stanza] of [
    ["ed25519", "id_ed25519", "ssh-ed25519"],
    ["rsa", "id_rsa", "ssh-rsa"],
  ] as const) {
    it(`${type}: wraps for the .pub line and unwraps with ~/.ssh/${file}`, async () => {
      const home = tempDir();
      mkdirSync(join(home, ".ssh"));
      const path = join(home, ".ssh", file);
      execFileSync("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", "", "-C", "t@h", "-f", path]);
      const recipient = readFileSync(path + ".pub", "utf8").trim();
      const key = descriptor.parseRefs(recipient)[0]!;
      const enc = await client.wrap(key, dataKey, makeCtx());
      expect(Buffer.from(dearmor(enc)).toString("latin1")).toMatch(new RegExp(`^-> ${stanza} `, "m"));
      expect(await client.unwrap(key, enc, makeCtx({ home }))).toEqual(dataKey);
      // The same key through SOPS_AGE_SSH_PRIVATE_KEY_FILE, from another home.
      expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_SSH_PRIVATE_KEY_FILE: path } }))).toEqual(dataKey);
    });
  }
});

describe("plugin recipients (age-plugin-sobretest)", () => {
  const pad = new Uint8Array(16).map((_, i) => 17 * i + 3);
  const recipient = bech32Encode("age1sobretest", pad);
  const identity = bech32Encode("AGE-PLUGIN-SOBRETEST-", pad);

  it("wraps and unwraps through the plugin protocol", async () => {
    const key = descriptor.parseRefs(recipient)[0]!;
    const wrapCtx = makeCtx();
    const enc = await client.wrap(key, share, wrapCtx);
    expect(wrapCtx.warnings).toEqual(["age-plugin-sobretest: wrapping with the sobretest plugin"]);
    expect(Buffer.from(dearmor(enc)).toString("latin1")).toMatch(/^-> sobretest /m);
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY: identity } }))).toEqual(share);
    const otherPad = bech32Encode("AGE-PLUGIN-SOBRETEST-", new Uint8Array(16).fill(1));
    expect(await client.unwrap(key, enc, makeCtx({ env: { SOPS_AGE_KEY: otherPad } }))).toBeNull();
  });

  it("reports a missing plugin binary", async () => {
    const key = descriptor.parseRefs(bech32Encode("age1nosuchplugin", pad))[0]!;
    await expect(client.wrap(key, dataKey, makeCtx())).rejects.toThrow(/age-plugin-nosuchplugin not found on PATH/);
  });
});

describe("plugin errors", () => {
  it("a plugin's error about its own stanza is reported when nothing else decrypts", async () => {
    const pad = new Uint8Array(16).fill(9);
    const recipient = bech32Encode("age1sobretest", pad);
    const key = descriptor.parseRefs(recipient)[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());
    // Re-encode the sobretest stanza with a truncated body: still "ours", but broken.
    const text = Buffer.from(dearmor(enc)).toString("latin1");
    const broken = text.replace(/(-> sobretest \S+\n)\S+\n/, "$1AAAA\n");
    const ctx = makeCtx({ env: { SOPS_AGE_KEY: bech32Encode("AGE-PLUGIN-SOBRETEST-", pad) } });
    await expect(client.unwrap(key, armor(Buffer.from(broken, "latin1")), ctx)).rejects.toThrow(
      /SOPS_AGE_KEY:1: age-plugin-sobretest: sobretest stanza body has the wrong size/,
    );
  });
});
