import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { delimiter } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError, UsageError } from "../../../src/errors.js";
import { client, selectBackends } from "../../../src/keys/pgp/client.js";
import { descriptor } from "../../../src/keys/pgp/index.js";
import type { KeyContext, MasterKey } from "../../../src/keys/types.js";
import { HAS_GPG, needsGpg, keyFile, makeCtx, makeSandbox } from "./helpers.js";
import type { Sandbox } from "./helpers.js";

const SOPS_KEY_FILE = keyFile("getsops-sops/keys/sops_functional_tests_key.asc");
const TERRAGRUNT_KEY_FILE = keyFile("gruntwork-io-terragrunt/keys/test_pgp_key.asc");
const CARLPETT_KEY_FILE = keyFile("carlpett-terraform-provider-sops/keys/testing-key.pgp.asc");
const KEYS = [SOPS_KEY_FILE, TERRAGRUNT_KEY_FILE];

const FBC7 = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
const D722 = "D7229043384BCC60326C6FB9D8720D957C3D3074"; // 1024-bit RSA (old SOPS test key)
const SUBKEY_EXACT = "71D962851765394F76DB9CFC25294A17CD90507F!"; // FBC7's encryption subkey
const TERRAGRUNT_SUBKEY_ID = "4B17CCC82911A6E0";

const ref = (fp: string): MasterKey => descriptor.parseRefs(fp)[0]!;

async function recipientIds(armored: string): Promise<string[]> {
  const message = await openpgp.readMessage({ armoredMessage: armored });
  return message.getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase());
}

let sandbox: Sandbox;
let gpgCtx: KeyContext;
let builtinCtx: KeyContext;

beforeAll(() => {
  sandbox = makeSandbox(KEYS);
  gpgCtx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "gpg" });
  builtinCtx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: KEYS.join(delimiter) });
});
afterAll(() => sandbox.cleanup());

const backends = [
  { name: "gpg", ctx: () => gpgCtx, skip: !HAS_GPG },
  { name: "builtin", ctx: () => builtinCtx, skip: false },
];

describe("client.wrap → client.unwrap", () => {
  for (const from of backends) {
    for (const to of backends) {
      it.skipIf(from.skip || to.skip)(needsGpg(`${from.name} → ${to.name}`, from.skip || to.skip), async () => {
        for (const fp of [FBC7, D722, TERRAGRUNT_SUBKEY_ID, SUBKEY_EXACT]) {
          const dataKey = new Uint8Array(randomBytes(32));
          const enc = await client.wrap(ref(fp), dataKey, from.ctx());
          expect(enc).toMatch(/^-----BEGIN PGP MESSAGE-----\n[\s\S]*\n-----END PGP MESSAGE-----$/);
          expect(enc).toBe(enc.trim());
          expect(await client.unwrap(ref(fp), enc, to.ctx()), fp).toEqual(dataKey);
        }
      });
    }
  }

  for (const b of backends) {
    it.skipIf(b.skip)(needsGpg(`${b.name}: a subkey id or "!" encrypts to exactly that subkey`, b.skip), async () => {
      const dataKey = new Uint8Array(randomBytes(32));
      expect(await recipientIds(await client.wrap(ref(SUBKEY_EXACT), dataKey, b.ctx()))).toEqual(["25294A17CD90507F"]);
      expect(await recipientIds(await client.wrap(ref(TERRAGRUNT_SUBKEY_ID), dataKey, b.ctx()))).toEqual([TERRAGRUNT_SUBKEY_ID]);
      // A primary fingerprint picks the key's encryption subkey, not the sign-only primary.
      expect(await recipientIds(await client.wrap(ref(FBC7), dataKey, b.ctx()))).toEqual(["25294A17CD90507F"]);
    });
  }

  it.skipIf(!HAS_GPG)(needsGpg("messages from both backends decrypt with plain `gpg -d`"), async () => {
    for (const b of backends) {
      const dataKey = new Uint8Array(randomBytes(32));
      const enc = await client.wrap(ref(FBC7), dataKey, b.ctx());
      const r = sandbox.gpg(["-d"], enc);
      expect(r.status, r.stderr).toBe(0);
      expect(new Uint8Array(r.stdout)).toEqual(dataKey);
    }
  });
});

describe("hidden recipients (--throw-keyids)", () => {
  it.skipIf(!HAS_GPG)(needsGpg("a message from `gpg --throw-keyids` decrypts with both backends"), async () => {
    const dataKey = new Uint8Array(randomBytes(32));
    const r = sandbox.gpg(["--trust-model", "always", "--throw-keyids", "-a", "-e", "-r", FBC7], dataKey);
    expect(r.status, r.stderr).toBe(0);
    const enc = r.stdout.toString().trim();
    expect(await recipientIds(enc)).toEqual(["0000000000000000"]);
    expect(await client.unwrap(ref(FBC7), enc, builtinCtx)).toEqual(dataKey);
    expect(await client.unwrap(ref(FBC7), enc, gpgCtx)).toEqual(dataKey);
  });

  it("the built-in backend tries every key on a hidden-recipient message, null when none opens it", async () => {
    const dataKey = new Uint8Array(randomBytes(32));
    const armoredKey = readFileSync(SOPS_KEY_FILE, "utf8").split(/(?=-----BEGIN PGP)/)[0]!;
    const key = (await openpgp.readKeys({ armoredKeys: armoredKey })).find((k) => k.getFingerprint().toUpperCase() === FBC7)!;
    const hidden = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: dataKey }),
      encryptionKeys: key.toPublic(),
      wildcard: true,
      config: { minRSABits: 1024 },
    });
    expect(await recipientIds(hidden)).toEqual(["0000000000000000"]);
    expect(await client.unwrap(ref(FBC7), hidden, builtinCtx)).toEqual(dataKey);
    const other = makeSandbox();
    try {
      const ctx = makeCtx(other, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: [CARLPETT_KEY_FILE, TERRAGRUNT_KEY_FILE].join(delimiter) });
      expect(await client.unwrap(ref(FBC7), hidden, ctx)).toBeNull();
    } finally {
      other.cleanup();
    }
  });
});

describe("no secret key here → null", () => {
  let other: Sandbox;
  beforeAll(() => {
    other = makeSandbox([CARLPETT_KEY_FILE]);
  });
  afterAll(() => other.cleanup());

  for (const b of backends) {
    it.skipIf(b.skip)(needsGpg(b.name, b.skip), async () => {
      const ctx = makeCtx(other, { SOBRE_PGP_BACKEND: b.name, SOBRE_PGP_SECRET_KEYS: CARLPETT_KEY_FILE });
      const enc = await client.wrap(ref(FBC7), new Uint8Array(32), b.ctx());
      expect(await client.unwrap(ref(FBC7), enc, ctx)).toBeNull();
    });
  }
});

describe("corrupt messages throw with a reason", () => {
  for (const b of backends) {
    it.skipIf(b.skip)(needsGpg(b.name, b.skip), async () => {
      const enc = await client.wrap(ref(FBC7), new Uint8Array(randomBytes(32)), b.ctx());
      const lines = enc.split("\n");
      // Flip characters in the middle of the base64 body (keeps the armor parseable).
      const mid = Math.floor(lines.length / 2);
      lines[mid] = lines[mid]!.split("").reverse().join("");
      for (const bad of [lines.join("\n"), "not a pgp message"]) {
        const err = await client.unwrap(ref(FBC7), bad, b.ctx()).then(() => undefined, (e: unknown) => e);
        expect(err, bad.slice(0, 30)).toBeInstanceOf(KeyAccessError);
        expect((err as KeyAccessError).message).toMatch(/^could not decrypt the data key with PGP key FBC7\S+: \S/);
        expect((err as KeyAccessError).failures[0]).toMatchObject({ key: FBC7, type: "pgp" });
      }
    });
  }
});

describe("backend selection", () => {
  it("SOBRE_PGP_BACKEND picks the backend; auto prefers gpg, falls back to builtin without it", () => {
    const names = (env: Record<string, string>) => selectBackends(makeCtx(sandbox, env)).map((b) => b.name);
    expect(names({ SOBRE_PGP_BACKEND: "builtin" })).toEqual(["builtin"]);
    expect(names({ SOBRE_PGP_BACKEND: "GPG" })).toEqual(["gpg"]);
    expect(names({ PATH: "" })).toEqual(["builtin"]);
    if (HAS_GPG) {
      expect(names({})).toEqual(["gpg"]);
      expect(names({ SOBRE_PGP_KEYRING: SOPS_KEY_FILE })).toEqual(["gpg", "builtin"]);
    }
    expect(() => names({ SOBRE_PGP_BACKEND: "pgpy" })).toThrow(UsageError);
  });

  it("auto without gpg on PATH wraps and unwraps with the key files", async () => {
    const ctx = makeCtx(sandbox, { PATH: "", SOBRE_PGP_SECRET_KEYS: SOPS_KEY_FILE });
    const dataKey = new Uint8Array(randomBytes(32));
    const enc = await client.wrap(ref(FBC7), dataKey, ctx);
    expect(await client.unwrap(ref(FBC7), enc, ctx)).toEqual(dataKey);
  });

  it("gpg backend without a gpg binary fails with a hint", async () => {
    const err = await client.wrap(ref(FBC7), new Uint8Array(32), makeCtx(sandbox, { PATH: "", SOBRE_PGP_BACKEND: "gpg" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyAccessError);
    expect((err as KeyAccessError).message).toContain("gpg was not found on PATH");
    expect((err as KeyAccessError).hint).toContain("SOPS_GPG_EXEC");
  });

  it("SOPS_GPG_EXEC naming a missing binary fails and names the variable", async () => {
    const ctx = makeCtx(sandbox, { SOPS_GPG_EXEC: "/nonexistent/gpg", SOBRE_PGP_BACKEND: "gpg" });
    const err = await client.unwrap(ref(FBC7), "x", ctx).catch((e: unknown) => e);
    expect((err as KeyAccessError).message).toContain('SOPS_GPG_EXEC names "/nonexistent/gpg"');
  });

  it.skipIf(!HAS_GPG)(needsGpg("SOPS_GPG_EXEC as a command name is looked up on PATH"), async () => {
    const ctx = makeCtx(sandbox, { SOPS_GPG_EXEC: "gpg", SOBRE_PGP_BACKEND: "gpg" });
    const dataKey = new Uint8Array(randomBytes(32));
    expect(await client.unwrap(ref(FBC7), await client.wrap(ref(FBC7), dataKey, ctx), ctx)).toEqual(dataKey);
  });
});

describe("legacy fp values", () => {
  it.skipIf(!HAS_GPG)(needsGpg("a user-id `fp` from an old file still wraps with gpg (no --trusted-key for it)"), async () => {
    const key = descriptor.fromRecord({ fp: "Terragrunt Tests" });
    const ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "gpg", GNUPGHOME: sandbox.gnupgHome });
    const dataKey = new Uint8Array(randomBytes(32));
    // gpg refuses an untrusted key in --batch mode, so trust it as a user would have.
    sandbox.gpg(["--trusted-key", "19546E0C123C664E", "--check-trustdb"]);
    const enc = await client.wrap(key, dataKey, ctx);
    expect(await recipientIds(enc)).toEqual([TERRAGRUNT_SUBKEY_ID]);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
  });
});

describe("wrap failures", () => {
  const UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  for (const b of backends) {
    it.skipIf(b.skip)(needsGpg(`${b.name}: unknown recipient → KeyAccessError with an import hint`, b.skip), async () => {
      const err = await client.wrap(ref(UNKNOWN), new Uint8Array(32), b.ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyAccessError);
      expect((err as KeyAccessError).message).toContain(`could not encrypt the data key with PGP key ${UNKNOWN}`);
      expect((err as KeyAccessError).hint).toMatch(/gpg --import|gpg --export/);
    });

    it.skipIf(b.skip)(needsGpg(`${b.name}: expired recipient → KeyAccessError`, b.skip), async () => {
      const legacy = keyFile("getsops-sops/keys/sops_functional_tests_key_legacy.asc");
      const other = makeSandbox([legacy]);
      try {
        const ctx = makeCtx(other, { SOBRE_PGP_BACKEND: b.name, SOBRE_PGP_KEYRING: legacy });
        const err = await client.wrap(ref("729D26A79482B5A20DEAD0A76945978B930DD7A2"), new Uint8Array(32), ctx).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(KeyAccessError);
        expect((err as KeyAccessError).hint).toMatch(/expir/);
      } finally {
        other.cleanup();
      }
    });
  }
});
