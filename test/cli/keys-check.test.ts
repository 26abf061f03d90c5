/**
 * `sobre keys check`: probes every master key of a file (can this machine open the
 * stored data key; can it still encrypt for the key) or of a `.sops.yaml` creation rule
 * (wrap + unwrap round trip), against the protocol fakes. Runs the CLI in-process so the
 * fakes (served from this process) can have failures injected per request.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyProbe } from "../../src/operations/keys-check.js";
import { startFakeAwsKms, type FakeAwsKms } from "../fakes/aws-kms.js";
import { startFakeAzureKv, type FakeAzureKv } from "../fakes/azure-kv.js";
import { startFakeGcpKms, type FakeGcpKms } from "../fakes/gcp-kms.js";
import type { Failure } from "../fakes/fake-server.js";
import { startFakeVault, type FakeVault } from "../fakes/hc-vault.js";
import { selfSignedCert } from "../fakes/tls-cert.js";
import { cli, makeAgeKeys, type AgeKey } from "../operations/lifecycle-helpers.js";
import { ROOT, SHARED } from "../helpers/paths.js";

const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const AGE_RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(AGE_KEY_FILE, "utf8"))![0];
const PGP_KEY_FILE = join(SHARED, "fixtures/sops-interop/getsops-sops/keys/sops_functional_tests_key.asc");
const PGP_FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
const tls = selfSignedCert();
const LABELS = ["age", "PGP", "AWS KMS", "GCP KMS", "Azure Key Vault", "Vault transit"];

let aws: FakeAwsKms;
let gcp: FakeGcpKms;
let az: FakeAzureKv;
let hv: FakeVault;
let dir: string;
let pgpPublic: string;
/** A second TEST-ONLY age key, for a file split over two age-only key groups. */
let other: AgeKey;

/** Everything available, minus `omit` (age / PGP secrets). */
function env(omit: { age?: boolean; pgpSecret?: boolean } = {}): Record<string, string> {
  const e: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: join(dir, "home"),
    XDG_CONFIG_HOME: join(dir, "home/.config"),
    SOBRE_KMS_TIMEOUT: "10",
    SOBRE_KMS_RETRIES: "0",
    SOBRE_PGP_BACKEND: "builtin",
    SOBRE_PGP_KEYRING: pgpPublic,
  };
  if (!omit.age) e["SOPS_AGE_KEY_FILE"] = AGE_KEY_FILE;
  if (!omit.pgpSecret) e["SOBRE_PGP_SECRET_KEYS"] = PGP_KEY_FILE;
  if (!tls) return e;
  return {
    ...e,
    AWS_ACCESS_KEY_ID: "AKIDKEYSCHECK",
    AWS_SECRET_ACCESS_KEY: "keys-check-secret",
    AWS_ENDPOINT_URL_KMS: aws.url,
    SOPS_GCP_KMS_CLIENT_TYPE: "rest",
    SOPS_GCP_KMS_ENDPOINT: gcp.url,
    GOOGLE_OAUTH_ACCESS_TOKEN: gcp.token,
    SOBRE_AZURE_ACCESS_TOKEN: az.token,
    SOBRE_AZURE_KV_CA: tls.certPath,
    SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION: "true",
    VAULT_TOKEN: "hvs.root",
  };
}

const check = (args: string[], e = env()) => cli(["keys", "check", ...args], { cwd: dir, env: e });
/** Table rows (header dropped), split on the two-space column gaps. */
const rows = (stdout: string): string[][] =>
  stdout
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/ {2,}/));

beforeAll(async () => {
  // The SDKs run in this process: keep the developer's cloud settings out of them.
  for (const k of Object.keys(process.env)) if (/^(AWS_|GOOGLE_|AZURE_|VAULT_|SOPS_|SOBRE_)/.test(k)) delete process.env[k];
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  dir = mkdtempSync(join(tmpdir(), "sobre-keyscheck-"));
  pgpPublic = join(dir, "pgp-public.asc");
  writeFileSync(pgpPublic, (readFileSync(PGP_KEY_FILE, "utf8").match(/-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----\n/g) ?? []).join(""));
  other = (await makeAgeKeys(1))[0]!;
  const rules = [
    "creation_rules:",
    "  - path_regex: ^two-groups",
    "    key_groups:",
    `      - age: [${AGE_RECIPIENT}]`,
    `      - age: [${other.recipient}]`,
    "  - path_regex: ^age-only/",
    "    age: " + AGE_RECIPIENT,
  ];
  if (tls) {
    [aws, gcp, hv, az] = await Promise.all([startFakeAwsKms(), startFakeGcpKms(), startFakeVault(), startFakeAzureKv(tls)]);
    aws.secrets.set("AKIDKEYSCHECK", "keys-check-secret");
    const arn = aws.createKey("us-east-2");
    const gcpId = gcp.createKey("check");
    const version = az.createKey("check");
    hv.createKey("transit", "check");
    rules.push(
      "  - path_regex: .*",
      "    shamir_threshold: 2",
      "    key_groups:",
      `      - age: [${AGE_RECIPIENT}]`,
      `        pgp: [${PGP_FP}]`,
      `      - kms: [{arn: "${arn}"}]`,
      `        gcp_kms: [{resource_id: "${gcpId}"}]`,
      `      - azure_keyvault: [{vaultUrl: "${az.url}", key: check, version: ${version}}]`,
      `        hc_vault: ["${hv.url}/v1/transit/keys/check"]`,
    );
  }
  writeFileSync(join(dir, ".sops.yaml"), rules.join("\n") + "\n");
  writeFileSync(join(dir, "age-only.yaml"), "token: abc\n");
  const a = await cli(["encrypt", "--age", AGE_RECIPIENT, "--output", "age-only.enc.yaml", "age-only.yaml"], { cwd: dir, env: env() });
  if (a.code !== 0) throw new Error(a.stderr);
  writeFileSync(join(dir, "two-groups.yaml"), "token: abc\n");
  const t = await cli(["encrypt", "--output", "two-groups.enc.yaml", "two-groups.yaml"], { cwd: dir, env: env() });
  if (t.code !== 0) throw new Error(t.stderr);
  if (tls) {
    writeFileSync(join(dir, "mixed.yaml"), "password: hunter2\n");
    const m = await cli(["encrypt", "--output", "mixed.enc.yaml", "mixed.yaml"], { cwd: dir, env: env() });
    if (m.code !== 0) throw new Error(m.stderr);
  }
}, 60_000);

afterAll(async () => {
  if (tls) await Promise.all([aws.close(), gcp.close(), hv.close(), az.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("keys check on an age-only file", () => {
  it("with the identity: one ok row, exit 0", async () => {
    const r = await check(["age-only.enc.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^group +type +key +encrypt +decrypt +time +reason$/);
    expect(rows(r.stdout)).toEqual([["1", "age", AGE_RECIPIENT, "ok", "ok", expect.stringMatching(/^\d+ ms$/)]]);
  });

  it("without an identity: the row says no-identity, and nothing opens the file → exit 1", async () => {
    const r = await check(["age-only.enc.yaml"], env({ age: true }));
    expect(r.code).toBe(1);
    const [row] = rows(r.stdout);
    expect(row!.slice(0, 5)).toEqual(["1", "age", AGE_RECIPIENT, "ok", "no-identity"]);
    expect(row![6]).toMatch(/no identity/);
    expect(r.stderr).toBe("sobre: age-only.enc.yaml: no key here can open this file\n");
  });

  it("two key groups (threshold 2) with an identity for only one: every row is ok or no-identity, yet exit 1", async () => {
    const one = await check(["two-groups.enc.yaml"]);
    expect(rows(one.stdout).map((c) => [c[0], c[4]])).toEqual([["1", "ok"], ["2", "no-identity"]]);
    expect(one.stderr).toBe("sobre: two-groups.enc.yaml: only 1 of the 2 key groups needed can be opened here\n");
    expect(one.code).toBe(1);
    // Decrypt agrees: the file cannot be opened with that identity alone.
    expect((await cli(["decrypt", "two-groups.enc.yaml"], { cwd: dir, env: env() })).code).toBe(128);
    const both: Record<string, string> = { ...env({ age: true }), SOPS_AGE_KEY: `${readFileSync(AGE_KEY_FILE, "utf8")}\n${other.identity}\n` };
    const two = await check(["two-groups.enc.yaml"], both);
    expect(two.code, two.stdout + two.stderr).toBe(0);
    expect(two.stderr).toBe("");
  });

  it("rejects a missing subcommand, FILE together with --rule, and --rule without a .sops.yaml", async () => {
    const bad = await cli(["keys", "frob"], { cwd: dir, env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^sobre: unknown keys subcommand "frob"\nhint: sobre keys check/);
    const both = await check(["age-only.enc.yaml", "--rule", "x.yaml"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("either FILE or --rule");
    const elsewhere = mkdtempSync(join(tmpdir(), "sobre-keyscheck-noconfig-"));
    const none = await cli(["keys", "check", "--rule", "x.yaml"], { cwd: elsewhere, env: env() });
    rmSync(elsewhere, { recursive: true, force: true });
    expect(none.code).toBe(61);
    expect(none.stderr).toContain(".sops.yaml");
  });
});

describe.skipIf(!tls)(`keys check with all six key types${tls ? "" : " (skipped: openssl is needed for the HTTPS Azure fake)"}`, () => {
  it("a file whose keys all work: a table with one ok row per key, by group, exit 0", async () => {
    const r = await check(["mixed.enc.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const t = rows(r.stdout);
    expect(t.map((c) => [c[0], c[1], c[3], c[4]])).toEqual(
      LABELS.map((l, i) => [String(Math.floor(i / 2) + 1), l, "ok", "ok"]),
    );
    expect(t.every((c) => c.length === 6)).toBe(true);
  });

  const services: [string, () => { inject(f: Failure, n?: number): void }, RegExp][] = [
    ["Vault transit", () => hv, /permission denied/],
    ["Azure Key Vault", () => az, /permission denied/],
    ["GCP KMS", () => gcp, /permission denied/],
    ["AWS KMS", () => aws, /(permission|access) denied/],
  ];
  for (const [label, fake, reason] of services) {
    it(`a ${label} key refused with a 403: its row fails with a reason and a hint, the others stay ok, exit 1`, async () => {
      // Enough refusals for the stored-key unwrap and the wrap (the unwrap is then skipped).
      fake().inject("forbidden", 2);
      const r = await check(["mixed.enc.yaml"]);
      expect(r.code).toBe(1);
      const t = rows(r.stdout);
      const bad = t.find((c) => c[1] === label)!;
      expect(bad.slice(3, 5)).toEqual(["fail", "fail"]);
      expect(bad[6]).toMatch(reason);
      expect(bad[6]).toMatch(/\(hint: .+\)$/);
      for (const c of t.filter((x) => x[1] !== label)) expect(c.slice(3, 5), c[1]).toEqual(["ok", "ok"]);
    });
  }

  it("age and PGP without secret keys: both rows say no-identity; the file still opens via other groups → exit 0", async () => {
    const r = await check(["mixed.enc.yaml", "--json"], env({ age: true, pgpSecret: true }));
    expect(r.code, r.stderr).toBe(0);
    const probes = JSON.parse(r.stdout) as KeyProbe[];
    const byType = new Map(probes.map((p) => [p.type, p]));
    for (const t of ["age", "PGP"]) expect(byType.get(t), t).toMatchObject({ group: 1, wrap: "ok", unwrap: "no-identity", reason: expect.any(String) });
    for (const t of LABELS.slice(2)) expect(byType.get(t), t).toMatchObject({ wrap: "ok", unwrap: "ok" });
  });

  it("PGP with neither keyring nor secret key: the row explains the failed encrypt, not just the missing identity", async () => {
    const e = env({ pgpSecret: true });
    delete e["SOBRE_PGP_KEYRING"];
    const r = await check(["mixed.enc.yaml", "--json"], e);
    expect(r.code).toBe(1);
    const pgp = (JSON.parse(r.stdout) as KeyProbe[]).find((p) => p.type === "PGP");
    expect(pgp).toMatchObject({ wrap: "fail", unwrap: "no-identity", reason: expect.stringMatching(/public key not found/), hint: expect.stringMatching(/SOBRE_PGP_KEYRING/) });
  });

  it("--json: one object per key with group, type, key, wrap, unwrap, ms (+ reason and hint on failure)", async () => {
    hv.inject("forbidden", 2);
    const r = await check(["--json", "mixed.enc.yaml"]);
    expect(r.code).toBe(1);
    const probes = JSON.parse(r.stdout) as KeyProbe[];
    expect(probes.map((p) => p.type)).toEqual(LABELS);
    expect(probes.map((p) => p.key)).toEqual([AGE_RECIPIENT, PGP_FP, expect.stringMatching(/^arn:aws:kms:us-east-2:/), expect.stringMatching(/^projects\/.+\/cryptoKeys\/check$/), expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/keys\/check\/[0-9a-f]+$/), `${hv.url}/v1/transit/keys/check`]);
    for (const p of probes) {
      expect(Object.keys(p).every((k) => ["group", "type", "key", "wrap", "unwrap", "ms", "reason", "hint"].includes(k)), JSON.stringify(p)).toBe(true);
      expect(p.ms).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(p.ms)).toBe(true);
    }
    expect(probes.filter((p) => p.type !== "Vault transit").every((p) => p.wrap === "ok" && p.unwrap === "ok" && p.reason === undefined)).toBe(true);
    expect(probes[5]).toMatchObject({ group: 3, wrap: "fail", unwrap: "fail", reason: expect.stringMatching(/permission denied/), hint: expect.any(String) });
  });

  it("--rule PATH probes the keys of the matching creation rule with a round trip", async () => {
    const mixed = await check(["--rule", "new/secrets.yaml"]);
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(rows(mixed.stdout).map((c) => [c[1], c[3], c[4]])).toEqual(LABELS.map((l) => [l, "ok", "ok"]));
    const ageOnly = await check(["--rule", "age-only/x.yaml", "--json"], env({ age: true }));
    // For a rule, what matters is that new files can be encrypted: no identity is not a failure.
    expect(ageOnly.code, ageOnly.stderr).toBe(0);
    expect(JSON.parse(ageOnly.stdout)).toEqual([{ group: 1, type: "age", key: AGE_RECIPIENT, wrap: "ok", unwrap: "no-identity", ms: expect.any(Number), reason: expect.any(String) }]);
    hv.inject("forbidden", 1);
    const refused = await check(["--rule", "new/secrets.yaml"]);
    expect(refused.code).toBe(1);
    expect(rows(refused.stdout).find((c) => c[1] === "Vault transit")!.slice(3, 5)).toEqual(["fail", "skipped"]);
  });
});
