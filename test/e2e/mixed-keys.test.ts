/**
 * Files whose data key is split over three key groups that mix all six key types, through
 * the real CLI (`bin/sobre.js`, spawned asynchronously so the protocol fakes can answer
 * from this process): group 1 = age + PGP (built-in backend), group 2 = AWS KMS + GCP KMS
 * (REST), group 3 = Azure Key Vault (HTTPS) + Vault transit, `shamir_threshold: 2`.
 * Any two groups must open the file; one alone must not (exit 128, every key tried named).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startFakeAwsKms, type FakeAwsKms } from "../fakes/aws-kms.js";
import { startFakeAzureKv, type FakeAzureKv } from "../fakes/azure-kv.js";
import { startFakeGcpKms, type FakeGcpKms } from "../fakes/gcp-kms.js";
import { startFakeVault, type FakeVault } from "../fakes/hc-vault.js";
import { selfSignedCert } from "../fakes/tls-cert.js";
import { ROOT, SHARED } from "../helpers/paths.js";
import { hermeticEnv, runSobre } from "../helpers/sobre-exec.js";
import { createModuleTracer } from "./module-trace.js";

const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const AGE_RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(AGE_KEY_FILE, "utf8"))![0];
const PGP_KEY_FILE = join(SHARED, "fixtures/sops-interop/getsops-sops/keys/sops_functional_tests_key.asc");
const PGP_FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
const BUILT = existsSync(join(ROOT, "dist/main.js"));
const tls = selfSignedCert();
const SKIP = !BUILT || !tls || !existsSync(PGP_KEY_FILE);
const SKIP_REASON = !BUILT ? " (skipped: run `npm run build` first)" : !tls ? " (skipped: openssl is needed for the HTTPS Azure fake)" : !existsSync(PGP_KEY_FILE) ? " (skipped: shared PGP fixture missing)" : "";

const SECRET = "mixed-groups-marker-7f3a";
const PLAIN_YAML = `db:\n    user: admin\n    password: ${SECRET}\n    port: 5432\nflags:\n    - true\n    - 1.5\n`;
const PLAIN_JSON = `{\n  "db": {\n    "password": "${SECRET}",\n    "port": 5432\n  },\n  "list": [\n    "a",\n    null\n  ]\n}\n`;

let aws: FakeAwsKms;
let gcp: FakeGcpKms;
let az: FakeAzureKv;
let hv: FakeVault;
let dir: string;
let home: string;
let pgpPublicFile: string;
let kmsArn: string;
let gcpId: string;
let azVersion: string;
const enc: Record<"yaml" | "json", string> = { yaml: "", json: "" };

type Group = 1 | 2 | 3;

/** Credentials for the given groups; the others get none (1) or wrong ones (2, 3). */
function envFor(groups: readonly Group[], extra: Record<string, string> = {}): Record<string, string | undefined> {
  const on = (g: Group): boolean => groups.includes(g);
  return hermeticEnv(home, {
    SOBRE_KMS_TIMEOUT: "10",
    SOBRE_KMS_RETRIES: "0",
    AWS_EC2_METADATA_DISABLED: "true",
    SOBRE_PGP_BACKEND: "builtin",
    // The public key is always known (encryption needs it); the secret key only with group 1.
    SOBRE_PGP_KEYRING: pgpPublicFile,
    ...(on(1) ? { SOPS_AGE_KEY_FILE: AGE_KEY_FILE, SOBRE_PGP_SECRET_KEYS: PGP_KEY_FILE } : {}),
    AWS_ACCESS_KEY_ID: "AKIDMIXEDE2E",
    AWS_SECRET_ACCESS_KEY: on(2) ? "mixed-e2e-secret" : "wrong-secret",
    AWS_ENDPOINT_URL_KMS: aws.url,
    SOPS_GCP_KMS_CLIENT_TYPE: "rest",
    SOPS_GCP_KMS_ENDPOINT: gcp.url,
    GOOGLE_OAUTH_ACCESS_TOKEN: on(2) ? gcp.token : "ya29.wrong",
    SOBRE_AZURE_ACCESS_TOKEN: on(3) ? az.token : "wrong-azure-token",
    SOBRE_AZURE_KV_CA: tls!.certPath,
    SOBRE_AZURE_KV_DISABLE_CHALLENGE_VERIFICATION: "true",
    VAULT_TOKEN: on(3) ? "hvs.root" : "hvs.wrong",
    ...extra,
  });
}

function sobre(args: string[], env: Record<string, string | undefined>) {
  return runSobre(args, { env, cwd: dir, timeoutMs: 45_000 });
}

function writeConfig(opts: { withPgp?: boolean; extraVault?: string } = {}): void {
  const { withPgp = true, extraVault } = opts;
  writeFileSync(
    join(dir, ".sops.yaml"),
    [
      "creation_rules:",
      "  - path_regex: .*",
      "    shamir_threshold: 2",
      "    key_groups:",
      "      - age:",
      `          - ${AGE_RECIPIENT}`,
      ...(withPgp ? ["        pgp:", `          - ${PGP_FP}`] : []),
      "      - kms:",
      `          - arn: ${kmsArn}`,
      "        gcp_kms:",
      `          - resource_id: ${gcpId}`,
      "      - azure_keyvault:",
      `          - vaultUrl: ${az.url}`,
      "            key: mixed",
      `            version: ${azVersion}`,
      "        hc_vault:",
      `          - ${hv.url}/v1/transit/keys/mixed`,
      ...(extraVault ? [`          - ${extraVault}`] : []),
      "",
    ].join("\n"),
  );
}

type Meta = Record<string, unknown> & { key_groups: Record<string, Record<string, unknown>[]>[] };
const metaOf = (text: string, format: "yaml" | "json"): Meta => (format === "yaml" ? parseYaml(text) : JSON.parse(text)).sops as Meta;
const fieldsOf = (entries: Record<string, unknown>[] | undefined): string[][] => (entries ?? []).map((e) => Object.keys(e).sort());
const keyOps = (fake: { requests: { url: string; headers: Record<string, unknown> }[] }): number =>
  fake.requests.filter((r) => /(encrypt|decrypt)/i.test(r.url) || /TrentService/.test(String(r.headers["x-amz-target"] ?? ""))).length;

beforeAll(async () => {
  if (SKIP) return;
  [aws, gcp, hv, az] = await Promise.all([startFakeAwsKms(), startFakeGcpKms(), startFakeVault(), startFakeAzureKv(tls!)]);
  aws.secrets.set("AKIDMIXEDE2E", "mixed-e2e-secret");
  kmsArn = aws.createKey("eu-west-1");
  gcpId = gcp.createKey("mixed");
  azVersion = az.createKey("mixed");
  hv.createKey("transit", "mixed");
  hv.createKey("transit", "extra");
  dir = mkdtempSync(join(tmpdir(), "sobre-mixed-"));
  home = join(dir, "home");
  // A public-only keyring: the fixture file also holds the secret key, which would open group 1.
  pgpPublicFile = join(dir, "pgp-public.asc");
  writeFileSync(pgpPublicFile, (readFileSync(PGP_KEY_FILE, "utf8").match(/-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----\n/g) ?? []).join(""));
  writeConfig();
  writeFileSync(join(dir, "app.yaml"), PLAIN_YAML);
  writeFileSync(join(dir, "app.json"), PLAIN_JSON);
  // Encrypt both files up front, in parallel: every test below reads them.
  const all = envFor([1, 2, 3]);
  const [y, j] = await Promise.all([sobre(["encrypt", "app.yaml"], all), sobre(["encrypt", "app.json"], all)]);
  if (y.code !== 0 || j.code !== 0) throw new Error(`encrypt failed: ${y.stderr}${j.stderr}`);
  enc.yaml = join(dir, "app.enc.yaml");
  enc.json = join(dir, "app.enc.json");
  writeFileSync(enc.yaml, y.stdout);
  writeFileSync(enc.json, j.stdout);
}, 60_000);

afterAll(async () => {
  if (SKIP) return;
  await Promise.all([aws.close(), gcp.close(), hv.close(), az.close()]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(tls!.dir, { recursive: true, force: true });
});

describe.skipIf(SKIP)(`three key groups mixing age, PGP, AWS KMS, GCP KMS, Azure Key Vault and Vault transit${SKIP_REASON}`, () => {
  for (const format of ["yaml", "json"] as const) {
    it(`${format}: the metadata has three groups with SOPS's fields for all six entry types`, () => {
      const text = readFileSync(enc[format], "utf8");
      expect(text).not.toContain(SECRET);
      const meta = metaOf(text, format);
      expect(meta.shamir_threshold).toBe(2);
      // One group per .sops.yaml group, nothing at the top level.
      for (const t of ["age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"]) expect(meta[t] ?? [], t).toEqual([]);
      const [g1, g2, g3] = meta.key_groups;
      expect(meta.key_groups).toHaveLength(3);
      // SOPS 3.13 writes `age` and `hc_vault` in every group, the other lists only when used.
      expect(Object.keys(g1!).sort()).toEqual(["age", "hc_vault", "pgp"]);
      expect(Object.keys(g2!).sort()).toEqual(["age", "gcp_kms", "hc_vault", "kms"]);
      expect(Object.keys(g3!).sort()).toEqual(["age", "azure_kv", "hc_vault"]);
      expect(fieldsOf(g1!.age)).toEqual([["enc", "recipient"]]);
      expect(fieldsOf(g1!.pgp)).toEqual([["created_at", "enc", "fp"]]);
      expect(fieldsOf(g2!.kms)).toEqual([["arn", "aws_profile", "created_at", "enc"]]);
      expect(fieldsOf(g2!.gcp_kms)).toEqual([["created_at", "enc", "resource_id"]]);
      expect(fieldsOf(g3!.azure_kv)).toEqual([["created_at", "enc", "name", "vault_url", "version"]]);
      expect(fieldsOf(g3!.hc_vault)).toEqual([["created_at", "enc", "engine_path", "key_name", "vault_address"]]);
      expect(g1!.hc_vault).toEqual([]);
      expect(g2!.age).toEqual([]);
      expect(g1!.age![0]).toMatchObject({ recipient: AGE_RECIPIENT, enc: expect.stringMatching(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n$/) });
      expect(g1!.pgp![0]).toMatchObject({ fp: PGP_FP, enc: expect.stringMatching(/^-----BEGIN PGP MESSAGE-----[\s\S]+-----END PGP MESSAGE-----$/) });
      expect(g2!.kms![0]).toMatchObject({ arn: kmsArn, aws_profile: "", enc: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
      expect(g2!.gcp_kms![0]).toMatchObject({ resource_id: gcpId, enc: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
      expect(g3!.azure_kv![0]).toMatchObject({ vault_url: az.url, name: "mixed", version: azVersion, enc: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
      expect(g3!.hc_vault![0]).toMatchObject({ vault_address: hv.url, engine_path: "transit", key_name: "mixed", enc: expect.stringMatching(/^vault:v1:/) });
      for (const entry of [g1!.pgp![0], g2!.kms![0], g2!.gcp_kms![0], g3!.azure_kv![0], g3!.hc_vault![0]]) {
        expect(String(entry!.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
      // Every entry wraps a different share: no two `enc`s of one file are alike.
      const encs = [g1, g2, g3].flatMap((g) => Object.values(g!).flat().map((e) => String(e.enc)));
      expect(new Set(encs).size).toBe(6);
    });
  }

  for (const [a, b] of [[1, 2], [1, 3], [2, 3]] as const) {
    it(`groups ${a} and ${b} alone open the YAML and the JSON file`, async () => {
      const env = envFor([a, b]);
      const before = { aws: keyOps(aws), gcp: keyOps(gcp), az: keyOps(az), hv: keyOps(hv) };
      const [y, j] = await Promise.all([sobre(["decrypt", enc.yaml], env), sobre(["decrypt", enc.json], env)]);
      expect(y.code, y.stderr).toBe(0);
      expect(y.stdout.toString()).toBe(PLAIN_YAML);
      expect(j.code, j.stderr).toBe(0);
      expect(j.stdout.toString()).toBe(PLAIN_JSON);
      // Groups are tried in order and decryption stops at the threshold: with groups 1
      // and 2 available, group 3's services are never asked.
      if (a === 1 && b === 2) expect([keyOps(az) - before.az, keyOps(hv) - before.hv]).toEqual([0, 0]);
      // Group 2 was tried (and refused) when only groups 1 and 3 could open.
      if (a === 1 && b === 3) expect(keyOps(aws) - before.aws + keyOps(gcp) - before.gcp).toBeGreaterThan(0);
    });
  }

  for (const only of [1, 2, 3] as const) {
    it(`group ${only} alone cannot open the file: exit 128 naming the groups and every key tried`, async () => {
      const r = await sobre(["decrypt", enc.yaml], envFor([only]));
      expect(r.code).toBe(128);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr).toMatch(/^sobre: only 1 of the 2 key groups needed could be opened\n/);
      const lines = r.stderr.split("\n").filter((l) => l.startsWith("  - "));
      // Each unavailable group's keys appear, with their group number.
      const expected: Record<Group, RegExp[]> = {
        1: [/^ {2}- age age1\S+: group 1: /, new RegExp(`^  - PGP ${PGP_FP}: group 1: `)],
        2: [new RegExp(`^  - AWS KMS ${kmsArn.replace(/[/]/g, "\\/")}: group 2: `), /^ {2}- GCP KMS projects\/\S+: group 2: /],
        3: [/^ {2}- Azure Key Vault https:\/\/127\.0\.0\.1:\d+\/keys\/mixed\/\S+: group 3: /, /^ {2}- Vault transit http:\/\/127\.0\.0\.1:\d+\/v1\/transit\/keys\/mixed: group 3: /],
      };
      for (const g of [1, 2, 3] as const) {
        if (g === only) continue;
        for (const re of expected[g]) expect(lines.some((l) => re.test(l)), `${re} in\n${r.stderr}`).toBe(true);
      }
      expect(lines).toHaveLength(4);
      expect(r.stderr).toMatch(/\nhint: /);
      expect(r.stderr).not.toContain(SECRET);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    });
  }
});

describe.skipIf(SKIP)(`updatekeys and rotate on a mixed-group file${SKIP_REASON}`, () => {
  it("updatekeys follows .sops.yaml (drop PGP, add a Vault key) and keeps the values; rotate gives a new data key", async () => {
    const file = join(dir, "upd.enc.yaml");
    writeFileSync(file, readFileSync(enc.yaml));
    const before = metaOf(readFileSync(file, "utf8"), "yaml");
    writeConfig({ withPgp: false, extraVault: `${hv.url}/v1/transit/keys/extra` });
    try {
      const u = await sobre(["updatekeys", "-y", file], envFor([1, 2, 3]));
      expect(u.code, u.stderr).toBe(0);
    } finally {
      writeConfig();
    }
    const text = readFileSync(file, "utf8");
    const after = metaOf(text, "yaml");
    expect(after.key_groups).toHaveLength(3);
    expect(after.key_groups[0]!.pgp ?? []).toEqual([]);
    expect(after.key_groups[2]!.hc_vault!.map((e) => e.key_name)).toEqual(["mixed", "extra"]);
    // Values are untouched: same ciphertext line for the password.
    const pw = (t: string): string | undefined => /password: (ENC\[[^\]]+\])/.exec(t)?.[1];
    expect(pw(text)).toBe(pw(readFileSync(enc.yaml, "utf8")));
    expect(after.mac).toBe(before.mac);
    // Only groups 1 and 3 (now age + two Vault keys) are needed to open it.
    const d = await sobre(["decrypt", file], envFor([1, 3]));
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout.toString()).toBe(PLAIN_YAML);

    const r = await sobre(["rotate", "-i", file], envFor([1, 2, 3]));
    expect(r.code, r.stderr).toBe(0);
    const rotated = readFileSync(file, "utf8");
    expect(pw(rotated)).toMatch(/^ENC\[/);
    expect(pw(rotated)).not.toBe(pw(text));
    const rmeta = metaOf(rotated, "yaml");
    expect(rmeta.key_groups.map((g) => Object.keys(g).sort())).toEqual(after.key_groups.map((g) => Object.keys(g).sort()));
    expect(rmeta.shamir_threshold).toBe(2);
    const d2 = await sobre(["decrypt", file], envFor([2, 3]));
    expect(d2.code, d2.stderr).toBe(0);
    expect(d2.stdout.toString()).toBe(PLAIN_YAML);
  });
});

describe.skipIf(SKIP)(`keys check through the real CLI${SKIP_REASON}`, () => {
  it("with groups 2 and 3 available: age and PGP rows say no-identity, the cloud rows are ok, exit 0", async () => {
    const r = await sobre(["keys", "check", "--json", enc.yaml], envFor([2, 3]));
    expect(r.code, r.stderr).toBe(0);
    const probes = JSON.parse(r.stdout.toString()) as { group: number; type: string; wrap: string; unwrap: string }[];
    expect(probes.map((p) => [p.group, p.type, p.wrap, p.unwrap])).toEqual([
      [1, "age", "ok", "no-identity"],
      [1, "PGP", "ok", "no-identity"],
      [2, "AWS KMS", "ok", "ok"],
      [2, "GCP KMS", "ok", "ok"],
      [3, "Azure Key Vault", "ok", "ok"],
      [3, "Vault transit", "ok", "ok"],
    ]);
  });
});

describe.skipIf(SKIP)(`lazy key clients${SKIP_REASON}`, () => {
  // The positive control of lazy-load.test.ts: the tracer does see SDKs when they are used.
  it("opening the mixed file with groups 1 and 2 loads the AWS SDK, but not Azure's, nor openpgp (age opened group 1)", async () => {
    const tracer = createModuleTracer();
    try {
      const r = await tracer.run(["decrypt", enc.yaml], envFor([1, 2]), dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(PLAIN_YAML);
      expect(r.modules.some((m) => /node_modules\/@aws-sdk\/client-kms\//.test(m))).toBe(true);
      expect(r.modules.filter((m) => /node_modules\/(@azure|openpgp|age-encryption)\//.test(m))).toEqual([]);
    } finally {
      tracer.dispose();
    }
  });
});
