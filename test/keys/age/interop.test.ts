import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Decrypter, Encrypter, armor as libArmor } from "age-encryption";
import { describe, expect, it } from "vitest";
import { descriptor } from "../../../src/keys/age/index.js";
import { generateIdentity } from "../../../src/keys/age/keygen.js";
import { AGE_BIN, HAS_AGE, makeCtx, tempDir } from "./helpers.js";

const client = await descriptor.load();
const dataKey = new Uint8Array(32).map((_, i) => 255 - i);
const secretLine = (t: string): string => t.split("\n").find((l) => l.startsWith("AGE-"))!;

describe("cross-check with age-encryption (typage)", () => {
  it("our native output decrypts with age-encryption", async () => {
    const { identity, recipient } = await generateIdentity();
    const enc = await client.wrap(descriptor.parseRefs(recipient)[0]!, dataKey, makeCtx());
    const d = new Decrypter();
    d.addIdentity(secretLine(identity));
    expect(await d.decrypt(libArmor.decode(enc))).toEqual(dataKey);
  });

  it("age-encryption output decrypts with our native path", async () => {
    const { identity, recipient } = await generateIdentity();
    const e = new Encrypter();
    e.addRecipient(recipient);
    const enc = libArmor.encode(await e.encrypt(dataKey));
    const ctx = makeCtx({ env: { SOPS_AGE_KEY: secretLine(identity) } });
    expect(await client.unwrap(descriptor.parseRefs(recipient)[0]!, enc, ctx)).toEqual(dataKey);
  });

  it("a passphrase-protected identity file made by age-encryption is unlocked via promptSecret", async () => {
    const { identity, recipient } = await generateIdentity();
    const e = new Encrypter();
    e.setPassphrase("correct horse");
    e.setScryptWorkFactor(10);
    const home = tempDir();
    mkdirSync(join(home, ".config/sops/age"), { recursive: true });
    writeFileSync(join(home, ".config/sops/age/keys.txt"), libArmor.encode(await e.encrypt(identity)));
    const key = descriptor.parseRefs(recipient)[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());
    const ctx = makeCtx({ home, promptSecret: async () => "correct horse" });
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(ctx.prompts).toEqual(["Enter passphrase for ~/.config/sops/age/keys.txt: "]);
    const wrong = makeCtx({ home, promptSecret: async () => "wrong" });
    await expect(client.unwrap(key, enc, wrong)).rejects.toThrow(/keys\.txt: incorrect passphrase/);
    // Without a terminal the failure says so instead of hanging.
    await expect(client.unwrap(key, enc, makeCtx({ home }))).rejects.toThrow(/no terminal/);
  });
});

describe.skipIf(!HAS_AGE)("interop with the real age binary", () => {
  it("our output decrypts with `age -d`; `age -e -a` output decrypts with us", async () => {
    const dir = tempDir();
    const { identity, recipient } = await generateIdentity();
    writeFileSync(join(dir, "keys.txt"), identity);
    const key = descriptor.parseRefs(recipient)[0]!;
    const enc = await client.wrap(key, dataKey, makeCtx());
    writeFileSync(join(dir, "enc.age"), enc);
    expect(new Uint8Array(execFileSync(AGE_BIN, ["-d", "-i", join(dir, "keys.txt"), join(dir, "enc.age")]))).toEqual(dataKey);
    const theirs = execFileSync(AGE_BIN, ["-e", "-a", "-r", recipient], { input: Buffer.from(dataKey) }).toString();
    expect(await client.unwrap(key, theirs, makeCtx({ env: { SOPS_AGE_KEY_FILE: join(dir, "keys.txt") } }))).toEqual(dataKey);
  });

  it("keys from `age-keygen` work, and ours work with `age`", async () => {
    const dir = tempDir();
    execFileSync(join(AGE_BIN, "../age-keygen"), ["-o", join(dir, "k.txt")], { stdio: "ignore" });
    const text = readFileSync(join(dir, "k.txt"), "utf8");
    const recipient = /# public key: (\S+)/.exec(text)![1]!;
    const theirs = execFileSync(AGE_BIN, ["-e", "-a", "-r", recipient], { input: Buffer.from(dataKey) }).toString();
    const ctx = makeCtx({ env: { SOPS_AGE_KEY_FILE: join(dir, "k.txt") } });
    expect(await client.unwrap(descriptor.parseRefs(recipient)[0]!, theirs, ctx)).toEqual(dataKey);
    const y = execFileSync(join(AGE_BIN, "../age-keygen"), ["-y", join(dir, "k.txt")]).toString().trim();
    expect(y).toBe(recipient);
  });

  it("SSH stanzas interoperate both ways", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".ssh"));
    for (const [type, file] of [["ed25519", "id_ed25519"], ["rsa", "id_rsa"]] as const) {
      const path = join(home, ".ssh", file);
      try {
        execFileSync("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", "", "-f", path]);
      } catch {
        return; // no ssh-keygen: covered by the skip in roundtrip.test.ts
      }
      const recipient = readFileSync(path + ".pub", "utf8").trim();
      const key = descriptor.parseRefs(recipient)[0]!;
      writeFileSync(join(home, "enc"), await client.wrap(key, dataKey, makeCtx()));
      expect(new Uint8Array(execFileSync(AGE_BIN, ["-d", "-i", path, join(home, "enc")]))).toEqual(dataKey);
      const theirs = execFileSync(AGE_BIN, ["-e", "-a", "-R", path + ".pub"], { input: Buffer.from(dataKey) }).toString();
      expect(await client.unwrap(key, theirs, makeCtx({ home }))).toEqual(dataKey);
    }
  });
});
