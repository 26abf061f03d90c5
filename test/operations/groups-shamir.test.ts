import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { INTEROP_FIXTURES, ROOT } from "../helpers/paths.js";
import { envForKeys } from "../helpers/key-env.js";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(4);
});

const PLAIN = { secret: "s3cr3t", n: 42 };

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((x, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [x, ...rest]));
}

describe("Shamir key groups", () => {
  it("3 groups, threshold 2: every pair decrypts, a single group fails listing the keys tried", async () => {
    const three = keys.slice(0, 3);
    const { dir, env } = project([]);
    put(dir, ".sops.yaml", `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n${three.map((k) => `      - age: [${k.recipient}]\n`).join("")}`);
    put(dir, "s.json", JSON.stringify(PLAIN));
    expect((await cli(["encrypt", "-i", "s.json"], { cwd: dir, env })).code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, "s.json"), "utf8")).sops;
    expect(meta.shamir_threshold).toBe(2);
    expect(meta.key_groups).toHaveLength(3);
    for (const pair of subsets(three, 2)) {
      const r = await cli(["decrypt", "s.json"], { cwd: dir, env: { ...env, SOPS_AGE_KEY: pair.map((k) => k.identity).join("\n") } });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(PLAIN);
    }
    for (const one of three) {
      const r = await cli(["decrypt", "s.json"], { cwd: dir, env: { ...env, SOPS_AGE_KEY: one.identity } });
      expect(r.code).toBe(128);
      expect(r.stderr).toMatch(/only 1 of the 2 key groups needed/);
      for (const other of three.filter((k) => k !== one)) expect(r.stderr).toContain(other.recipient);
    }
  });

  it("threshold 0 means all groups", async () => {
    const two = keys.slice(0, 2);
    const { dir, env } = project([]);
    put(dir, ".sops.yaml", `creation_rules:\n  - key_groups:\n${two.map((k) => `      - age: [${k.recipient}]\n`).join("")}`);
    put(dir, "s.json", JSON.stringify(PLAIN));
    expect((await cli(["encrypt", "-i", "s.json"], { cwd: dir, env })).code).toBe(0);
    expect((await cli(["decrypt", "s.json"], { cwd: dir, env: { ...env, SOPS_AGE_KEY: two[0]!.identity } })).code).toBe(128);
    expect((await cli(["decrypt", "s.json"], { cwd: dir, env: { ...env, SOPS_AGE_KEY: two.map((k) => k.identity).join("\n") } })).code).toBe(0);
  });
});

describe("sobre groups", () => {
  async function single() {
    const { dir, env } = project(keys);
    put(dir, "s.json", JSON.stringify(PLAIN));
    expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "s.json"], { cwd: dir, env })).code).toBe(0);
    return { dir, env, path: join(dir, "s.json") };
  }

  it("add then delete a group; values, lastmodified and mac never change", async () => {
    const s = await single();
    const before = JSON.parse(readFileSync(s.path, "utf8"));
    const add = await cli(["groups", "add", "--file", "s.json", "--age", keys[1]!.recipient, "--age", keys[2]!.recipient, "-i"], { cwd: s.dir, env: s.env });
    expect(add.code).toBe(0);
    const mid = JSON.parse(readFileSync(s.path, "utf8"));
    expect(mid.secret).toBe(before.secret);
    expect(mid.sops.mac).toBe(before.sops.mac);
    expect(mid.sops.lastmodified).toBe(before.sops.lastmodified);
    expect(mid.sops.key_groups).toHaveLength(2);
    expect(mid.sops.key_groups[1].age).toHaveLength(2);
    // Both groups are needed now (threshold = all).
    expect((await cli(["decrypt", "s.json"], { cwd: s.dir, env: { ...s.env, SOPS_AGE_KEY: keys[0]!.identity } })).code).toBe(128);
    const both = { ...s.env, SOPS_AGE_KEY: `${keys[0]!.identity}\n${keys[2]!.identity}` };
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: both })).stdout)).toEqual(PLAIN);
    const del = await cli(["groups", "delete", "-f", "s.json", "-i", "0"], { cwd: s.dir, env: s.env });
    expect(del.code).toBe(0);
    const after = JSON.parse(readFileSync(s.path, "utf8"));
    expect(after.secret).toBe(before.secret);
    expect(after.sops.mac).toBe(before.sops.mac);
    expect(after.sops.key_groups).toBeUndefined();
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: { ...s.env, SOPS_AGE_KEY: keys[1]!.identity } })).stdout)).toEqual(PLAIN);
  });

  it("without -i prints the result and leaves the file", async () => {
    const s = await single();
    const before = readFileSync(s.path, "utf8");
    const r = await cli(["groups", "add", "--file", "s.json", "--age", keys[1]!.recipient], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sops.key_groups).toHaveLength(2);
    expect(readFileSync(s.path, "utf8")).toBe(before);
  });

  it("errors: bad index, impossible threshold, empty group, missing file (100), no key (128)", async () => {
    const s = await single();
    expect((await cli(["groups", "delete", "--file", "s.json", "3"], { cwd: s.dir, env: s.env })).stderr).toMatch(/no key group 3/);
    expect((await cli(["groups", "delete", "--file", "s.json", "0"], { cwd: s.dir, env: s.env })).stderr).toMatch(/only key group/);
    expect((await cli(["groups", "add", "--file", "s.json"], { cwd: s.dir, env: s.env })).stderr).toMatch(/no keys/);
    expect((await cli(["groups", "add", "--file", "s.json", "--age", keys[1]!.recipient, "--shamir-secret-sharing-threshold", "3"], { cwd: s.dir, env: s.env })).code).not.toBe(0);
    expect((await cli(["groups", "add", "--file", "nope.json", "--age", keys[1]!.recipient], { cwd: s.dir, env: s.env })).code).toBe(100);
    expect((await cli(["groups", "add", "--file", "s.json", "--age", keys[1]!.recipient], { cwd: s.dir, env: { ...s.env, SOPS_AGE_KEY: keys[3]!.identity } })).code).toBe(128);
    expect((await cli(["groups", "frobnicate"], { cwd: s.dir, env: s.env })).stderr).toMatch(/add or delete/);
  });
});

describe("SOPS 3.3.1 shamir fixtures (PGP)", () => {
  const dir = join(INTEROP_FIXTURES, "generated-sops-3.3.1");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^shamir.*\.enc\./.test(f)) : [];
  // Needs the PGP client and the YAML format (written by other engineers).
  const pgpReady = existsSync(join(ROOT, "src/keys/pgp/client.ts")) && existsSync(join(ROOT, "src/formats/yaml/index.ts"));
  const keyFiles = existsSync(join(INTEROP_FIXTURES, "getsops-sops/keys"))
    ? readdirSync(join(INTEROP_FIXTURES, "getsops-sops/keys")).map((k) => join(INTEROP_FIXTURES, "getsops-sops/keys", k))
    : [];
  it.skipIf(files.length === 0 || !pgpReady)("decrypt with the published PGP keys", async () => {
    const env = envForKeys(keyFiles);
    for (const f of files) {
      const values = join(dir, f.replace(/\.enc\.[a-z]+$/, ".values.json"));
      const r = await cli(["decrypt", "--output-type", "json", join(dir, f)], { cwd: dir, env });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      if (existsSync(values)) expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(values, "utf8")));
    }
  });
});
