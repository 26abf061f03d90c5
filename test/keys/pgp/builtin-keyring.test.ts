import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { client } from "../../../src/keys/pgp/client.js";
import { descriptor } from "../../../src/keys/pgp/index.js";
import { HAS_GPG, needsGpg, keyFile, makeCtx, makeSandbox, writeIn } from "./helpers.js";
import type { Sandbox } from "./helpers.js";

const SOPS_KEY_FILE = keyFile("getsops-sops/keys/sops_functional_tests_key.asc");
const FBC7 = descriptor.parseRefs("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4")[0]!;

/** The fixture's keys as one binary keyring (what `gpg --export-secret-keys` without -a gives). */
async function binaryKeyring(secret: boolean): Promise<Uint8Array> {
  const text = readFileSync(SOPS_KEY_FILE, "utf8");
  const blocks = text.match(/-----BEGIN PGP [A-Z ]+-----[\s\S]*?-----END PGP [A-Z ]+-----/g)!;
  const parts: Uint8Array[] = [];
  for (const block of blocks) {
    for (const key of await openpgp.readKeys({ armoredKeys: block })) {
      if (key.isPrivate() === secret) parts.push(key.write());
    }
  }
  return Buffer.concat(parts);
}

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.cleanup());

describe("built-in keyring sources", () => {
  it("reads binary key files from SOBRE_PGP_KEYRING and SOBRE_PGP_SECRET_KEYS", async () => {
    const pub = writeIn(sandbox, "pub.gpg", await binaryKeyring(false));
    const sec = writeIn(sandbox, "sec.gpg", await binaryKeyring(true));
    const dataKey = new Uint8Array(randomBytes(32));
    const enc = await client.wrap(FBC7, dataKey, makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_KEYRING: pub }));
    // A public keyring alone cannot decrypt: not mine → null.
    expect(await client.unwrap(FBC7, enc, makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_KEYRING: pub }))).toBeNull();
    expect(await client.unwrap(FBC7, enc, makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: sec }))).toEqual(dataKey);
  });

  it("reads GnuPG 1.x pubring.gpg/secring.gpg in GNUPGHOME, as SOPS's OpenPGP path does", async () => {
    writeFileSync(join(sandbox.gnupgHome, "secring.gpg"), await binaryKeyring(true));
    writeFileSync(join(sandbox.gnupgHome, "pubring.gpg"), await binaryKeyring(false));
    const ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin" });
    const dataKey = new Uint8Array(randomBytes(32));
    expect(await client.unwrap(FBC7, await client.wrap(FBC7, dataKey, ctx), ctx)).toEqual(dataKey);
  });

  it("expands ~/ with the context's home", async () => {
    writeIn(sandbox, "k.asc", readFileSync(SOPS_KEY_FILE));
    const ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: "~/k.asc" });
    const dataKey = new Uint8Array(randomBytes(32));
    expect(await client.unwrap(FBC7, await client.wrap(FBC7, dataKey, ctx), ctx)).toEqual(dataKey);
  });

  it("a missing or unreadable key file is a UsageError naming the variable", async () => {
    const missing = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_KEYRING: join(sandbox.dir, "nope.asc") });
    const err = await client.wrap(FBC7, new Uint8Array(32), missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain("SOBRE_PGP_KEYRING");

    const junk = writeIn(sandbox, "junk.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64\n-----END PGP PUBLIC KEY BLOCK-----\n");
    const bad = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_KEYRING: junk });
    await expect(client.wrap(FBC7, new Uint8Array(32), bad)).rejects.toThrow(/junk\.asc: not a readable OpenPGP key file/);
  });

  it.skipIf(!HAS_GPG)(needsGpg("auto: gpg first, then the key files when gpg lacks the key"), async () => {
    const ctx = makeCtx(sandbox, { SOBRE_PGP_SECRET_KEYS: SOPS_KEY_FILE }); // empty gpg keyring
    const dataKey = new Uint8Array(randomBytes(32));
    const enc = await client.wrap(FBC7, dataKey, ctx);
    expect(await client.unwrap(FBC7, enc, ctx)).toEqual(dataKey);
  });

  it.skipIf(!HAS_GPG)(needsGpg("auto: when both fail, the reason lists both backends"), async () => {
    const pub = writeIn(sandbox, "pub.gpg", await binaryKeyring(false));
    const ctx = makeCtx(sandbox, { SOBRE_PGP_KEYRING: pub });
    const err = await client.wrap(descriptor.parseRefs("A".repeat(40))[0]!, new Uint8Array(32), ctx).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/gpg: .*No public key.*; builtin: public key not found/);
  });
});
