import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { OptionValues } from "../../src/cli/args.js";
import { creationFromConfig, findCreationRule, loadConfig, pathForMatching, requireCreationRule, storesIndent } from "../../src/config/creation-from-config.js";
import { locateConfig } from "../../src/config/find-config.js";
import { ConfigError, SobreError } from "../../src/errors.js";
import { descriptorFor } from "../../src/keys/registry.js";
import { ROOT } from "../helpers/paths.js";
import { fakeIO, makeAgeKeys, type AgeKey } from "../operations/lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(4);
});

function dirWith(config: string | undefined, name = ".sops.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "sobre-cfg-"));
  if (config !== undefined) writeFileSync(join(dir, name), config);
  return dir;
}

async function creation(dir: string, file: string, values: OptionValues = {}, flagRecipients: string[] = []) {
  const io = fakeIO({ cwd: dir, env: {} });
  const recipients = flagRecipients.flatMap((r) => descriptorFor("age")!.parseRefs(r));
  const c = await creationFromConfig({ values, io, file, flagRecipients: recipients, flagSelection: {} });
  return { c, stderr: io.stderr() };
}

async function failure(p: Promise<unknown>): Promise<SobreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SobreError);
  return err as SobreError;
}

const ids = (groups: { id: string }[][]): string[][] => groups.map((g) => g.map((k) => k.id));

describe("locateConfig", () => {
  it("searches upward from the current directory, not the file's", () => {
    const root = dirWith("creation_rules: []\n");
    mkdirSync(join(root, "a", "b"), { recursive: true });
    const found = locateConfig({ cwd: join(root, "a", "b") });
    expect(found.config?.path).toBe(join(root, ".sops.yaml"));
  });

  it("returns nothing when there is no config", () => {
    expect(locateConfig({ cwd: dirWith(undefined) }).config).toBeUndefined();
  });

  it("warns about .sops.yml, which SOPS ignores", () => {
    const dir = dirWith("creation_rules: []\n", ".sops.yml");
    const found = locateConfig({ cwd: dir });
    expect(found.config).toBeUndefined();
    expect(found.warning).toMatch(/must be called \.sops\.yaml/);
  });

  it("a missing --config file is exit 61", () => {
    const dir = dirWith(undefined);
    let err: unknown;
    try {
      locateConfig({ cwd: dir, explicit: "nope.yaml" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(61);
  });
});

describe("creation rules", () => {
  it("first match wins; path is relative to the config directory; no path_regex matches all", async () => {
    const dir = dirWith(`creation_rules:\n  - path_regex: ^prod/\n    age: ${keys[0]!.recipient}\n  - path_regex: \\.dev\\.yaml$\n    age: ${keys[1]!.recipient}\n  - age: ${keys[2]!.recipient}\n`);
    mkdirSync(join(dir, "prod"));
    expect(ids((await creation(dir, "prod/x.yaml")).c.groups)).toEqual([[keys[0]!.recipient]]);
    expect(ids((await creation(dir, join(dir, "a.dev.yaml"))).c.groups)).toEqual([[keys[1]!.recipient]]);
    expect(ids((await creation(dir, "other.json")).c.groups)).toEqual([[keys[2]!.recipient]]);
    // From a subdirectory, the relative file name is still matched against the config dir.
    const sub = join(dir, "prod");
    const io = fakeIO({ cwd: sub, env: {} });
    const spec = (await loadConfig({ cwd: sub, warn: () => {} }))!;
    expect(pathForMatching(spec, "x.yaml", sub)).toBe("prod/x.yaml");
    expect(findCreationRule(spec, "x.yaml", io.cwd)?.index).toBe(0);
  });

  it("files outside the config directory are matched by absolute path", async () => {
    const dir = dirWith(`creation_rules:\n  - path_regex: ^/\n    age: ${keys[0]!.recipient}\n`);
    const spec = (await loadConfig({ cwd: dir, warn: () => {} }))!;
    expect(pathForMatching(spec, "/elsewhere/s.yaml", dir)).toBe("/elsewhere/s.yaml");
    expect(requireCreationRule(spec, "/elsewhere/s.yaml", dir).index).toBe(0);
  });

  it("no matching rule is exit 1 (as SOPS) with a hint", async () => {
    const dir = dirWith(`creation_rules:\n  - path_regex: ^prod/\n    age: ${keys[0]!.recipient}\n`);
    const err = await failure(creation(dir, "dev/x.yaml"));
    expect(err.message).toMatch(/no matching creation rules found for "dev\/x.yaml"/);
    expect(err.exitCode).toBe(1);
    expect(err.hint).toMatch(/path_regex/);
  });

  it("no config and no recipients is exit 111; a config without creation_rules too", async () => {
    expect((await failure(creation(dirWith(undefined), "x.yaml"))).exitCode).toBe(111);
    expect((await failure(creation(dirWith("stores: {}\n"), "x.yaml"))).exitCode).toBe(111);
  });

  it("flat keys: comma string and YAML list, trailing commas ignored", async () => {
    const dir = dirWith(`creation_rules:\n  - path_regex: ^a\n    age: "${keys[0]!.recipient}, ${keys[1]!.recipient},"\n  - age:\n      - ${keys[2]!.recipient}\n      - ${keys[3]!.recipient}\n`);
    expect(ids((await creation(dir, "a.yaml")).c.groups)).toEqual([[keys[0]!.recipient, keys[1]!.recipient]]);
    expect(ids((await creation(dir, "b.yaml")).c.groups)).toEqual([[keys[2]!.recipient, keys[3]!.recipient]]);
  });

  it("flat lists of every type build their key types", async () => {
    const dir = dirWith(
      [
        "creation_rules:",
        "  - aws_profile: dev",
        `    age: ${keys[0]!.recipient}`,
        "    pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4",
        "    kms: arn:aws:kms:us-east-1:123456789012:key/abc+arn:aws:iam::123456789012:role/r",
        "    gcp_kms: projects/p/locations/global/keyRings/r/cryptoKeys/k",
        "    azure_keyvault: https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
        "    hc_vault_transit_uri: http://127.0.0.1:8200/v1/transit/keys/k",
        "",
      ].join("\n"),
    );
    const { c } = await creation(dir, "x.yaml", { "encryption-context": "app:web" });
    const group = c.groups[0]!;
    expect(group.map((k) => k.type)).toEqual(["age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"]);
    const kms = group.find((k) => k.type === "kms")!;
    expect(kms.fields).toMatchObject({ role: "arn:aws:iam::123456789012:role/r", aws_profile: "dev", context: { app: "web" } });
  });

  it("key_groups with merge (SOPS 3.10+), kms role/context/aws_profile, dedupe, shamir_threshold", async () => {
    const dir = dirWith(
      [
        "creation_rules:",
        "  - shamir_threshold: 2",
        "    key_groups:",
        "      - merge:",
        `          - age: [${keys[0]!.recipient}]`,
        `          - age: [${keys[0]!.recipient}, ${keys[1]!.recipient}]`,
        "        kms:",
        "          - arn: arn:aws:kms:eu-west-1:123456789012:key/k1",
        "            role: arn:aws:iam::123456789012:role/ops",
        "            context: {team: a, env: prod}",
        "            aws_profile: ops",
        `      - age: [${keys[2]!.recipient}]`,
        "        gcp_kms:",
        "          - resource_id: projects/p/locations/global/keyRings/r/cryptoKeys/k",
        "        hc_vault: [http://127.0.0.1:8200/v1/transit/keys/k]",
        "      - azure_keyvault:",
        "          - vaultUrl: https://v.vault.azure.net",
        "            key: k",
        "            version: 0123456789abcdef0123456789abcdef",
        "",
      ].join("\n"),
    );
    const { c } = await creation(dir, "x.yaml");
    expect(c.shamirThreshold).toBe(2);
    expect(c.groups.map((g) => g.map((k) => k.type))).toEqual([["age", "age", "kms"], ["age", "gcp_kms", "hc_vault"], ["azure_kv"]]);
    expect(c.groups[0]![2]!.fields).toMatchObject({ role: "arn:aws:iam::123456789012:role/ops", aws_profile: "ops", context: { team: "a", env: "prod" } });
  });

  it("selection options, mac_only_encrypted and stores indent come from the rule", async () => {
    const dir = dirWith(`stores:\n  yaml: {indent: 2}\n  json: {indent: 3}\n  json_binary: {indent: 5}\ncreation_rules:\n  - encrypted_regex: ^(data|stringData)$\n    mac_only_encrypted: true\n    age: ${keys[0]!.recipient}\n`);
    const { c } = await creation(dir, "x.yaml");
    expect(c.selection).toEqual({ encryptedRegex: "^(data|stringData)$" });
    expect(c.macOnlyEncrypted).toBe(true);
    expect(c.indent).toBe(2);
    expect((await creation(dir, "x.json")).c.indent).toBe(3);
    const spec = (await loadConfig({ cwd: dir, warn: () => {} }))!;
    expect(storesIndent(spec, "binary")).toBe(5);
    expect(storesIndent(spec, "toml")).toBeUndefined();
  });

  it("each selection option is accepted", async () => {
    for (const [key, prop] of [
      ["unencrypted_suffix", "unencryptedSuffix"],
      ["encrypted_suffix", "encryptedSuffix"],
      ["unencrypted_regex", "unencryptedRegex"],
      ["encrypted_regex", "encryptedRegex"],
      ["unencrypted_comment_regex", "unencryptedCommentRegex"],
      ["encrypted_comment_regex", "encryptedCommentRegex"],
    ]) {
      const dir = dirWith(`creation_rules:\n  - ${key}: "x"\n    age: ${keys[0]!.recipient}\n`);
      expect((await creation(dir, "a.yaml")).c.selection).toEqual({ [prop!]: "x" });
    }
  });

  it("flags win: recipients, selection (as a whole), threshold, mac-only", async () => {
    const dir = dirWith(`creation_rules:\n  - path_regex: nomatch\n    age: ${keys[0]!.recipient}\n  - shamir_threshold: 1\n    encrypted_suffix: _secret\n    age: ${keys[1]!.recipient}\n`);
    const io = fakeIO({ cwd: dir, env: {} });
    const c = await creationFromConfig({
      values: { "shamir-secret-sharing-threshold": 3, "mac-only-encrypted": true },
      io,
      file: "a.yaml",
      flagRecipients: descriptorFor("age")!.parseRefs(keys[2]!.recipient),
      flagSelection: { unencryptedRegex: "^x" },
    });
    expect(ids(c.groups)).toEqual([[keys[2]!.recipient]]);
    expect(c.selection).toEqual({ unencryptedRegex: "^x" });
    expect(c.shamirThreshold).toBe(3);
    expect(c.macOnlyEncrypted).toBe(true);
  });

  it("destination_rules are parsed and ignored, with a note under --verbose", async () => {
    const dir = dirWith(`destination_rules:\n  - s3_bucket: b\ncreation_rules:\n  - age: ${keys[0]!.recipient}\n`);
    const { stderr } = await creation(dir, "a.yaml", { verbose: true });
    expect(stderr).toMatch(/\.sops\.yaml:1: destination_rules are ignored/);
  });

  it("warns when key_groups shadows flat key lists", async () => {
    const dir = dirWith(`creation_rules:\n  - age: ${keys[0]!.recipient}\n    key_groups:\n      - age: [${keys[1]!.recipient}]\n`);
    const { c, stderr } = await creation(dir, "a.yaml");
    expect(ids(c.groups)).toEqual([[keys[1]!.recipient]]);
    expect(stderr).toMatch(/flat key lists .* are ignored/);
  });
});

describe("config errors name the line (exit 5)", () => {
  const cases: [string, string, RegExp, number][] = [
    ["unknown rule key (typo)", "creation_rules:\n  - path_regx: a\n    age: AGE\n", /\.sops\.yaml:2: unknown key "path_regx" in creation_rules\[0\]/, 2],
    ["unknown top-level key", "creation_rule:\n  - age: AGE\n", /\.sops\.yaml:1: unknown key "creation_rule"/, 1],
    ["unknown key in a key group", "creation_rules:\n  - key_groups:\n      - agee: [AGE]\n", /:3: unknown key "agee" in creation_rules\[0\]\.key_groups\[0\]/, 3],
    ["bad path_regex", "creation_rules:\n  - path_regex: '(unclosed'\n    age: AGE\n", /:2: invalid regular expression in creation_rules\[0\]\.path_regex/, 2],
    ["look-around is not RE2", "creation_rules:\n  - age: AGE\n  - path_regex: '^(?!x)'\n    age: AGE\n", /:3: invalid regular expression .*look-around/, 3],
    ["bad encrypted_regex", "creation_rules:\n  - encrypted_regex: '['\n    age: AGE\n", /:2: invalid regular expression in creation_rules\[0\]\.encrypted_regex/, 2],
    ["two selection options", "creation_rules:\n  - age: AGE\n  - encrypted_regex: a\n    unencrypted_suffix: _u\n    age: AGE\n", /:3: creation_rules\[1\] sets more than one of/, 3],
    ["threshold not a number", "creation_rules:\n  - shamir_threshold: two\n    age: AGE\n", /:2: creation_rules\[0\]\.shamir_threshold must be a non-negative integer/, 2],
    ["mac_only_encrypted not a bool", "creation_rules:\n  - mac_only_encrypted: 'yes'\n    age: AGE\n", /:2: .*must be true or false/, 2],
    ["invalid YAML", "creation_rules:\n  - age: [AGE\n", /\.sops\.yaml:\d+: invalid YAML/, 0],
    ["key_groups age must be a list", "creation_rules:\n  - key_groups:\n      - age: AGE\n", /:3: creation_rules\[0\]\.key_groups\[0\]\.age must be a list/, 3],
    ["bad age recipient", "creation_rules:\n  - age: age1notarecipient\n", /:2: invalid age recipient/, 2],
    ["hckms is not supported", "creation_rules:\n  - key_groups:\n      - hckms:\n          - key_id: r:k\n", /:4: key type hckms is not supported/, 4],
    ["empty key group", "creation_rules:\n  - key_groups:\n      - age: []\n", /:3: .*key_groups\[0\] has no keys/, 3],
  ];
  for (const [name, text, message] of cases) {
    it(name, async () => {
      const dir = dirWith(text.replaceAll("AGE", keys[0]!.recipient));
      const err = await failure(creation(dir, "a.yaml"));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.exitCode).toBe(5);
      expect(err.message).toMatch(message);
      expect(err.hint).toBeTruthy();
    });
  }

  it("suggests the closest key for a typo", async () => {
    const err = await failure(creation(dirWith("creation_rules:\n  - encrypted_regx: a\n"), "a.yaml"));
    expect(err.hint).toMatch(/did you mean "encrypted_regex"/);
  });
});

describe(".sops-like.yaml.example", () => {
  const example = join(ROOT, ".sops-like.yaml.example");

  it("is a valid config whose rules build the documented keys", async () => {
    const io = fakeIO({ cwd: ROOT, env: {} });
    const spec = (await loadConfig({ explicit: example, cwd: ROOT, warn: () => {} }))!;
    expect(spec.creationRules).toHaveLength(4);
    const make = (file: string) => creationFromConfig({ values: { config: example }, io, file, flagRecipients: [], flagSelection: {} });
    const prod = await make("app/prod/db.yaml");
    expect(prod.shamirThreshold).toBe(2);
    expect(prod.groups.map((g) => g.map((k) => k.type))).toEqual([["age", "age", "kms"], ["pgp", "gcp_kms"], ["age", "azure_kv", "hc_vault"]]);
    const k8s = await make("k8s/secret.yaml");
    expect(k8s.selection).toEqual({ encryptedRegex: "^(data|stringData)$" });
    expect(k8s.macOnlyEncrypted).toBe(true);
    const dev = await make("dev/app.json");
    expect(dev.groups[0]!.map((k) => k.type)).toEqual(["age", "age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"]);
    expect(dev.indent).toBe(2);
    expect((await make("anything.txt")).groups).toHaveLength(1);
    expect(io.stderr()).toBe("");
  });

  it("documents every option sobre accepts", () => {
    const text = readFileSync(example, "utf8");
    for (const key of [
      "creation_rules", "destination_rules", "stores", "indent", "json_binary", "path_regex", "age", "pgp", "kms", "gcp_kms", "azure_keyvault",
      "hc_vault_transit_uri", "aws_profile", "key_groups", "merge", "shamir_threshold", "unencrypted_suffix", "encrypted_suffix", "unencrypted_regex",
      "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex", "mac_only_encrypted", "role", "context", "resource_id", "vaultUrl", "hc_vault",
    ]) {
      expect(text).toMatch(new RegExp(`\\b${key}:`));
    }
  });
});
