import { randomBytes } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyAccessError } from "../../../src/errors.js";
import { client } from "../../../src/keys/pgp/client.js";
import { descriptor } from "../../../src/keys/pgp/index.js";
import type { MasterKey } from "../../../src/keys/types.js";
import { HAS_GPG, needsGpg, makeCtx, makeSandbox, writeIn } from "./helpers.js";
import type { Sandbox } from "./helpers.js";

const PASSPHRASE = "correct horse";
let armoredSecret: string;
let key: MasterKey;

beforeAll(async () => {
  const { privateKey } = await openpgp.generateKey({
    userIDs: [{ name: "sobre test", email: "test@example.invalid" }],
    passphrase: PASSPHRASE,
    format: "object",
  });
  armoredSecret = privateKey.armor();
  key = descriptor.parseRefs(privateKey.getFingerprint())[0]!;
});

/** A promptSecret that answers from a list and records the questions. */
function answers(...replies: string[]): ((q: string) => Promise<string>) & { questions: string[] } {
  const questions: string[] = [];
  const fn = async (q: string): Promise<string> => {
    questions.push(q);
    return replies[Math.min(questions.length - 1, replies.length - 1)] ?? "";
  };
  return Object.assign(fn, { questions });
}

describe("built-in backend, passphrase-protected secret key", () => {
  let sandbox: Sandbox;
  let keyPath: string;
  beforeAll(() => {
    sandbox = makeSandbox();
    keyPath = writeIn(sandbox, "secret.asc", armoredSecret);
  });
  afterAll(() => sandbox.cleanup());
  const ctxWith = (prompt?: (q: string) => Promise<string>) =>
    makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: keyPath }, prompt);

  it("asks once via ctx.promptSecret, then reuses the unlocked key", async () => {
    const prompt = answers(PASSPHRASE);
    const ctx = ctxWith(prompt);
    const dataKey = new Uint8Array(randomBytes(32));
    const enc = await client.wrap(key, dataKey, ctx);
    expect(prompt.questions).toEqual([]); // encrypting needs only the public part
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
    expect(prompt.questions).toHaveLength(1);
    expect(prompt.questions[0]).toContain(key.id.toUpperCase());
  });

  it("retries a wrong passphrase, then throws 'bad passphrase' after three", async () => {
    const ctx = ctxWith(answers("nope"));
    const enc = await client.wrap(key, new Uint8Array(32), ctx);
    const err = await client.unwrap(key, enc, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyAccessError);
    expect((err as KeyAccessError).message).toContain("bad passphrase");
    expect((err as KeyAccessError).hint).toContain("passphrase");
    expect(ctx.warnings).toHaveLength(2);

    const second = answers("nope", PASSPHRASE);
    const ok = ctxWith(second);
    expect(await client.unwrap(key, enc, ok)).toEqual(new Uint8Array(32));
    expect(second.questions).toHaveLength(2);
  });

  it("without a terminal, says the key is passphrase-protected", async () => {
    const ctx = ctxWith(undefined);
    const enc = await client.wrap(key, new Uint8Array(32), ctx);
    const err = await client.unwrap(key, enc, ctx).catch((e: unknown) => e);
    expect((err as KeyAccessError).message).toContain("is passphrase-protected and there is no terminal");
  });
});

/** A minimal Assuan pinentry answering GETPIN with the contents of `passFile`. */
function fakePinentry(sandbox: Sandbox, passFile: string): string {
  const script = `#!/bin/sh
echo "OK fake pinentry"
while read -r cmd rest; do
  case "$cmd" in
    GETPIN) printf 'D %s\\nOK\\n' "$(cat '${passFile}')";;
    BYE) echo OK; exit 0;;
    *) echo OK;;
  esac
done
`;
  const path = writeIn(sandbox, "pinentry.sh", script);
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(!HAS_GPG || process.platform === "win32")(needsGpg("gpg backend, passphrase asked by gpg-agent's pinentry"), () => {
  let sandbox: Sandbox;
  let passFile: string;
  beforeAll(() => {
    sandbox = makeSandbox();
    passFile = writeIn(sandbox, "pass.txt", "wrong");
    writeFileSync(join(sandbox.gnupgHome, "gpg-agent.conf"), `pinentry-program ${fakePinentry(sandbox, passFile)}\n`);
    const r = sandbox.gpg(["--import"], armoredSecret);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => sandbox.cleanup());

  it("a wrong passphrase throws with gpg's reason; the right one decrypts", async () => {
    const ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "gpg" }, answers("unused"));
    const dataKey = new Uint8Array(randomBytes(32));
    const enc = await client.wrap(key, dataKey, ctx);
    const err = await client.unwrap(key, enc, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyAccessError);
    expect((err as KeyAccessError).message).toMatch(/Bad passphrase/i);
    expect((err as KeyAccessError).hint).toBe("check the passphrase of the secret key");

    writeFileSync(passFile, PASSPHRASE);
    expect(await client.unwrap(key, enc, ctx)).toEqual(dataKey);
  });
});

describe.skipIf(!HAS_GPG)(needsGpg("gpg backend, no pinentry available"), () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.gnupgHome, "gpg-agent.conf"), `pinentry-program ${join(sandbox.dir, "no-such-pinentry")}\n`);
    const r = sandbox.gpg(["--import"], armoredSecret);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => sandbox.cleanup());

  it("throws (not null) and hints at GPG_TTY", async () => {
    const ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "gpg" });
    const enc = await client.wrap(key, new Uint8Array(32), ctx);
    const err = await client.unwrap(key, enc, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyAccessError);
    expect((err as KeyAccessError).hint).toContain("GPG_TTY");
  });
});
