import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { descriptor } from "../../../src/keys/age/index.js";
import { generateIdentity } from "../../../src/keys/age/keygen.js";
import { wire } from "../../../src/keys/age/ssh-wire.js";
import type { MasterKey } from "../../../src/keys/types.js";
import { makeCtx, tempDir } from "./helpers.js";

const client = await descriptor.load();
const dataKey = new Uint8Array(32).fill(42);
const secretLine = (t: string): string => t.split("\n").find((l) => l.startsWith("AGE-"))!;
const BOGUS = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQSECRET";

async function fixture(): Promise<{ identity: string; key: MasterKey; enc: string }> {
  const { identity, recipient } = await generateIdentity();
  const key = descriptor.parseRefs(recipient)[0]!;
  return { identity, key, enc: await client.wrap(key, dataKey, makeCtx()) };
}

async function errorOf(p: Promise<unknown>): Promise<KeyAccessError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeyAccessError);
    return e as KeyAccessError;
  }
  throw new Error("expected a KeyAccessError");
}

describe("identity sources", () => {
  it("finds keys in each place SOPS looks", async () => {
    const { identity, key, enc } = await fixture();
    const dir = tempDir();
    writeFileSync(join(dir, "k.txt"), identity);
    const home = tempDir();
    mkdirSync(join(home, ".config/sops/age"), { recursive: true });
    writeFileSync(join(home, ".config/sops/age/keys.txt"), identity);
    const xdg = tempDir();
    mkdirSync(join(xdg, "sops/age"), { recursive: true });
    writeFileSync(join(xdg, "sops/age/keys.txt"), identity);
    const contexts = [
      makeCtx({ env: { SOPS_AGE_KEY: `${BOGUS.slice(0, 0)}${secretLine(identity)}` } }),
      makeCtx({ env: { SOPS_AGE_KEY_FILE: join(dir, "k.txt") } }),
      makeCtx({ env: { SOPS_AGE_KEY_CMD: `cat ${join(dir, "k.txt")}` } }),
      makeCtx({ home }),
      makeCtx({ env: { XDG_CONFIG_HOME: xdg } }),
    ];
    for (const ctx of contexts) expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    // XDG_CONFIG_HOME replaces ~/.config (Linux), as os.UserConfigDir does.
    if (process.platform === "linux") {
      expect(await client.unwrap(key, enc, makeCtx({ home, env: { XDG_CONFIG_HOME: tempDir() } }))).toBeNull();
    }
  });

  it("accepts several keys on one SOPS_AGE_KEY line and across lines", async () => {
    const a = await fixture();
    const b = await fixture();
    const other = await generateIdentity();
    const env = { SOPS_AGE_KEY: `${secretLine(other.identity)} ${secretLine(a.identity)}\n# comment\n${secretLine(b.identity)}\n` };
    expect(await client.unwrap(a.key, a.enc, makeCtx({ env }))).toEqual(dataKey);
    expect(await client.unwrap(b.key, b.enc, makeCtx({ env }))).toEqual(dataKey);
  });

  it("loads identities once per run (memoized in ctx.cache)", async () => {
    const { identity, key, enc } = await fixture();
    const dir = tempDir();
    writeFileSync(join(dir, "k.txt"), identity);
    const ctx = makeCtx({ env: { SOPS_AGE_KEY_FILE: join(dir, "k.txt") } });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    writeFileSync(join(dir, "k.txt"), "");
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(ctx.cache.has("age:identities")).toBe(true);
  });
});

describe("loading errors", () => {
  it("are silent when decryption succeeds, reported with file:line when it fails, never with the key", async () => {
    const { identity, key, enc } = await fixture();
    const xdg = tempDir();
    mkdirSync(join(xdg, "sops/age"), { recursive: true });
    const recipientLine = key.id;
    writeFileSync(join(xdg, "sops/age/keys.txt"), `# created\n\n${BOGUS}\n${secretLine(identity)}\n${recipientLine}\n`);
    const ctx = makeCtx({ env: { XDG_CONFIG_HOME: xdg } });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);

    const other = await fixture();
    const err = await errorOf(client.unwrap(other.key, other.enc, makeCtx({ env: { XDG_CONFIG_HOME: xdg } })));
    expect(err.message).toContain(`${join(xdg, "sops/age/keys.txt")}:3: invalid identity`);
    expect(err.message).toContain("keys.txt:5: invalid identity: this is a recipient (public key), not an identity");
    expect(err.message).not.toContain("QQQQQQQQ");
    expect(err.message).not.toContain(secretLine(identity).slice(16));
    expect(err.failures[0]).toMatchObject({ key: other.key.id, type: "age" });
    expect(err.hint).toMatch(/SOPS_AGE_KEY_FILE/);
  });

  it("shows ~ for files under HOME", async () => {
    const other = await fixture();
    const home = tempDir();
    mkdirSync(join(home, ".config/sops/age"), { recursive: true });
    writeFileSync(join(home, ".config/sops/age/keys.txt"), `${BOGUS}\n`);
    const err = await errorOf(client.unwrap(other.key, other.enc, makeCtx({ home })));
    expect(err.message).toContain("~/.config/sops/age/keys.txt:1: invalid identity");
  });

  it("reports an unreadable SOPS_AGE_KEY_FILE and a failing SOPS_AGE_KEY_CMD", async () => {
    const other = await fixture();
    const env = { SOPS_AGE_KEY_FILE: "/nonexistent/keys.txt", SOPS_AGE_KEY_CMD: "sh -c 'exit 3'" };
    const err = await errorOf(client.unwrap(other.key, other.enc, makeCtx({ env })));
    expect(err.message).toContain("SOPS_AGE_KEY_FILE: cannot read /nonexistent/keys.txt: ENOENT");
    expect(err.message).toContain("SOPS_AGE_KEY_CMD: command failed (exit status 3)");
  });
});

describe("commands", () => {
  it("SOPS_AGE_KEY_CMD sees SOPS_AGE_RECIPIENT and runs once per recipient", async () => {
    const { identity, key, enc } = await fixture();
    const dir = tempDir();
    writeFileSync(join(dir, "k.txt"), identity);
    const log = join(dir, "log");
    const cmd = `sh -c 'echo "$SOPS_AGE_RECIPIENT" >> "$0"; cat "$1"' ${log} ${join(dir, "k.txt")}`;
    const ctx = makeCtx({ env: { SOPS_AGE_KEY_CMD: cmd } });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(readFileSync(log, "utf8")).toBe(`${key.id}\n`);
  });

  it("SOPS_AGE_SSH_PRIVATE_KEY_CMD supplies an SSH key", async () => {
    const dir = tempDir();
    const path = join(dir, "id");
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path]);
    } catch {
      return; // no ssh-keygen on this machine
    }
    const key = descriptor.parseRefs(readFileSync(path + ".pub", "utf8"))[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());
    const ctx = makeCtx({ env: { SOPS_AGE_SSH_PRIVATE_KEY_CMD: `cat ${path}` } });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
  });
});

describe("passphrase-protected SSH keys", () => {
  it("PEM RSA: prompts only when a stanza matches, then unwraps", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".ssh"));
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const privateKey = pair.privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" });
    const jwk = pair.publicKey.export({ format: "jwk" }) as { n: string; e: string };
    const big = (s: string): bigint => BigInt("0x" + Buffer.from(s, "base64url").toString("hex"));
    const pubLine = `ssh-rsa ${Buffer.from(wire("ssh-rsa", big(jwk.e), big(jwk.n))).toString("base64")} pem@test`;
    writeFileSync(join(home, ".ssh/id_rsa"), privateKey);
    writeFileSync(join(home, ".ssh/id_rsa.pub"), pubLine + "\n");
    const key = descriptor.parseRefs(pubLine)[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());

    const ctx = makeCtx({ home, promptSecret: async () => "pw" });
    const unrelated = await fixture();
    expect(await client.unwrap(unrelated.key, unrelated.enc, ctx)).toBeNull();
    expect(ctx.prompts).toEqual([]);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(ctx.prompts).toEqual(["Enter passphrase for ~/.ssh/id_rsa: "]);
    const wrong = makeCtx({ home, promptSecret: async () => "nope" });
    expect((await errorOf(client.unwrap(key, enc, wrong))).message).toContain("~/.ssh/id_rsa: incorrect passphrase");
  });

  it("OpenSSH format (bcrypt KDF): prompts, unwraps, and reports a wrong passphrase", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".ssh"));
    const path = join(home, ".ssh/id_ed25519");
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-a", "4", "-N", "secret-pass", "-f", path]);
    } catch {
      return; // no ssh-keygen on this machine
    }
    const key = descriptor.parseRefs(readFileSync(path + ".pub", "utf8"))[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());
    const ctx = makeCtx({ home, promptSecret: async () => "secret-pass" });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(ctx.prompts).toEqual(["Enter passphrase for ~/.ssh/id_ed25519: "]);
    const err = await errorOf(client.unwrap(key, enc, makeCtx({ home, promptSecret: async () => "wrong-pass" })));
    expect(err.message).toContain("~/.ssh/id_ed25519: incorrect passphrase");
    expect(err.message).not.toContain("wrong-pass");
  });
});
