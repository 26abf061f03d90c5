import { createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { descriptor } from "../../../src/keys/pgp/index.js";
import { client } from "../../../src/keys/pgp/client.js";
import type { KeyContext } from "../../../src/keys/types.js";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import { listPgpFixtures, readPgpEntries } from "./fixture-entries.js";
import { HAS_GPG, needsGpg, fixtureKeyFiles, makeCtx, makeSandbox } from "./helpers.js";
import type { Sandbox } from "./helpers.js";

const fixtures = listPgpFixtures();
const entries = fixtures.flatMap((f) => readPgpEntries(f.file, f.format));
const label = (e: { file: string; where: string }): string => `${e.file} ${e.where}`;
/** Data keys found by the gpg backend, compared with the built-in backend's. */
const byGpg = new Map<string, string>();

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("interop fixtures: pgp entries", () => {
  it("every PGP-keyed fixture listed in MANIFEST.md has pgp entries", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(70);
    for (const f of fixtures) expect(readPgpEntries(f.file, f.format).length, f.file).toBeGreaterThan(0);
    expect(entries.some((e) => e.shamir)).toBe(true);
    expect(entries.some((e) => e.fp.length === 16)).toBe(true); // hidden-recipient terragrunt files
  });
});

describe.skipIf(!HAS_GPG)(needsGpg("client.unwrap with gpg (SOBRE_PGP_BACKEND=gpg) on every fixture entry"), () => {
  let sandbox: Sandbox;
  let ctx: KeyContext;
  beforeAll(() => {
    sandbox = makeSandbox(fixtureKeyFiles());
    ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "gpg" });
  });
  afterAll(() => sandbox.cleanup());

  it.each(entries.map((e) => ({ ...e, name: label(e) })))("$name", async (e) => {
    const dataKey = await client.unwrap(descriptor.fromRecord({ fp: e.fp }), e.enc, ctx);
    expect(dataKey).not.toBeNull();
    expect(dataKey!.length).toBe(e.shamir ? 33 : 32);
    byGpg.set(label(e), hex(dataKey!));
  });
});

describe("client.unwrap with the built-in backend on every fixture entry", () => {
  let sandbox: Sandbox;
  let ctx: KeyContext;
  beforeAll(() => {
    sandbox = makeSandbox(); // empty GNUPGHOME: keys come only from SOBRE_PGP_SECRET_KEYS
    ctx = makeCtx(sandbox, { SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: fixtureKeyFiles().join(delimiter) });
  });
  afterAll(() => sandbox.cleanup());

  it.each(entries.map((e) => ({ ...e, name: label(e) })))("$name", async (e) => {
    const dataKey = await client.unwrap(descriptor.fromRecord({ fp: e.fp }), e.enc, ctx);
    expect(dataKey).not.toBeNull();
    expect(dataKey!.length).toBe(e.shamir ? 33 : 32);
    const fromGpg = byGpg.get(label(e));
    if (fromGpg !== undefined) expect(hex(dataKey!)).toBe(fromGpg);
  });

  it("the unwrapped key decrypts the file's MAC (independent check, AES-256-GCM, AAD = lastmodified)", async () => {
    for (const file of ["generated-sops-3.3.1/scalars.enc.yaml", "jkroepke-helm-secrets/secrets.trailing-newline.yaml", "gruntwork-io-terragrunt/secrets.yaml"]) {
      const sops = (parse(readFileSync(join(INTEROP_FIXTURES, file), "utf8")) as { sops: { mac: string; lastmodified: string } }).sops;
      const entry = entries.find((e) => e.file === file)!;
      const dataKey = (await client.unwrap(descriptor.fromRecord({ fp: entry.fp }), entry.enc, ctx))!;
      const m = /^ENC\[AES256_GCM,data:([^,]*),iv:([^,]*),tag:([^,]*),type:str\]$/.exec(sops.mac)!;
      const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(m[2]!, "base64"));
      decipher.setAAD(Buffer.from(String(sops.lastmodified)));
      decipher.setAuthTag(Buffer.from(m[3]!, "base64"));
      const mac = Buffer.concat([decipher.update(Buffer.from(m[1]!, "base64")), decipher.final()]).toString();
      expect(mac, file).toMatch(/^[0-9A-F]{128}$/);
    }
  });
});
