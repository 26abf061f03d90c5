import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(3);
});

const rule = (...ks: AgeKey[]) => `creation_rules:\n  - age: ${ks.map((k) => k.recipient).join(",")}\n`;

async function setup() {
  const { dir, env } = project(keys);
  put(dir, ".sops.yaml", rule(keys[0]!));
  put(dir, "s.json", '{"a": "1", "b": [2, 3.5]}');
  expect((await cli(["encrypt", "-i", "s.json"], { cwd: dir, env })).code).toBe(0);
  const path = join(dir, "s.json");
  const as = (k: AgeKey) => ({ ...env, SOPS_AGE_KEY: k.identity });
  return { dir, env, path, as };
}

function sops(text: string): Record<string, unknown> {
  return JSON.parse(text).sops as Record<string, unknown>;
}

describe("sobre updatekeys", () => {
  it("-y adds and removes recipients; values, lastmodified and mac are byte-identical", async () => {
    const s = await setup();
    const before = readFileSync(s.path, "utf8");
    put(s.dir, ".sops.yaml", rule(keys[1]!, keys[2]!));
    const r = await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`+++ ${keys[1]!.recipient}`);
    expect(r.stderr).toContain(`--- ${keys[0]!.recipient}`);
    const after = readFileSync(s.path, "utf8");
    const b = JSON.parse(before);
    const a = JSON.parse(after);
    expect(a.a).toBe(b.a);
    expect(a.b).toEqual(b.b);
    expect(a.sops.lastmodified).toBe(b.sops.lastmodified);
    expect(a.sops.mac).toBe(b.sops.mac);
    expect((a.sops.age as { recipient: string }[]).map((e) => e.recipient)).toEqual([keys[1]!.recipient, keys[2]!.recipient]);
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.as(keys[2]!) })).stdout)).toEqual({ a: "1", b: [2, 3.5] });
    expect((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.as(keys[0]!) })).code).toBe(128);
  });

  it("keeps the enc of recipients that stay", async () => {
    const s = await setup();
    const before = sops(readFileSync(s.path, "utf8")).age as { enc: string }[];
    put(s.dir, ".sops.yaml", rule(keys[0]!, keys[1]!));
    expect((await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env })).code).toBe(0);
    const after = sops(readFileSync(s.path, "utf8")).age as { enc: string }[];
    expect(after[0]!.enc).toBe(before[0]!.enc);
    expect(after).toHaveLength(2);
  });

  it("asks first: 'n' leaves the file alone, 'y' applies", async () => {
    const s = await setup();
    const before = readFileSync(s.path, "utf8");
    put(s.dir, ".sops.yaml", rule(keys[1]!));
    const no = await cli(["updatekeys", "s.json"], { cwd: s.dir, env: s.env, stdin: "n\n" });
    expect(no.code).toBe(0);
    expect(no.stderr).toMatch(/Is this okay\?/);
    expect(no.stderr).toMatch(/left unchanged/);
    expect(readFileSync(s.path, "utf8")).toBe(before);
    const yes = await cli(["updatekeys", "s.json"], { cwd: s.dir, env: s.env, stdin: "y\n" });
    expect(yes.code).toBe(0);
    expect(readFileSync(s.path, "utf8")).toContain(keys[1]!.recipient);
  });

  it("reports files already up to date and does not rewrite them", async () => {
    const s = await setup();
    const before = readFileSync(s.path, "utf8");
    const r = await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/already up to date/);
    expect(readFileSync(s.path, "utf8")).toBe(before);
  });

  it("walks directories for files with sops metadata", async () => {
    const s = await setup();
    mkdirSync(join(s.dir, "sub", "deeper"), { recursive: true });
    put(s.dir, "sub/deeper/t.json", '{"x": "y"}');
    expect((await cli(["encrypt", "-i", "sub/deeper/t.json"], { cwd: s.dir, env: s.env })).code).toBe(0);
    put(s.dir, "sub/plain.json", '{"not": "encrypted"}');
    put(s.dir, "sub/notes.txt", "hello sops");
    put(s.dir, ".sops.yaml", rule(keys[2]!));
    const r = await cli(["updatekeys", "-y", "."], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(readFileSync(join(s.dir, "sub/deeper/t.json"), "utf8")).toContain(keys[2]!.recipient);
    expect(readFileSync(s.path, "utf8")).toContain(keys[2]!.recipient);
    expect(readFileSync(join(s.dir, "sub/plain.json"), "utf8")).toBe('{"not": "encrypted"}');
  });

  it("to key groups with a shamir threshold from the rule", async () => {
    const s = await setup();
    put(s.dir, ".sops.yaml", `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n${keys.map((k) => `      - age: [${k.recipient}]\n`).join("")}`);
    const r = await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\+\+\+ shamir_threshold: 2/);
    const meta = sops(readFileSync(s.path, "utf8"));
    expect(meta.shamir_threshold).toBe(2);
    expect((meta.key_groups as unknown[]).length).toBe(3);
    const two = { ...s.env, SOPS_AGE_KEY: `${keys[0]!.identity}\n${keys[2]!.identity}` };
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: two })).stdout)).toEqual({ a: "1", b: [2, 3.5] });
  });

  it("exit codes: 49 missing file, 61 no config, 100 no file, 128 no key, 1 no matching rule", async () => {
    const s = await setup();
    expect((await cli(["updatekeys", "-y", "nope.json"], { cwd: s.dir, env: s.env })).code).toBe(49);
    expect((await cli(["updatekeys", "-y"], { cwd: s.dir, env: s.env })).code).toBe(100);
    expect((await cli(["updatekeys", "-y", "--config", "missing.yaml", "s.json"], { cwd: s.dir, env: s.env })).code).toBe(61);
    put(s.dir, ".sops.yaml", rule(keys[1]!));
    expect((await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.as(keys[2]!) })).code).toBe(128);
    put(s.dir, ".sops.yaml", `creation_rules:\n  - path_regex: ^other/\n    age: ${keys[1]!.recipient}\n`);
    const r = await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no matching creation rules/);
    writeFileSync(join(s.dir, ".sops.yaml"), "creation_rules:\n  - agee: x\n");
    expect((await cli(["updatekeys", "-y", "s.json"], { cwd: s.dir, env: s.env })).code).toBe(5);
  });

  it("without any .sops.yaml: exit 61", async () => {
    const { dir, env } = project(keys);
    put(dir, "s.json", "{}");
    expect((await cli(["updatekeys", "-y", "s.json"], { cwd: dir, env })).code).toBe(61);
  });

  it("YAML: only lines inside the sops key entries change", async () => {
    const { dir, env } = project(keys);
    put(dir, ".sops.yaml", rule(keys[0]!));
    put(dir, "s.yaml", "# top comment\na: 1\nb:\n    - x # inline\n    - y\n");
    expect((await cli(["encrypt", "-i", "s.yaml"], { cwd: dir, env })).code).toBe(0);
    const before = readFileSync(join(dir, "s.yaml"), "utf8").split("\n");
    put(dir, ".sops.yaml", rule(keys[0]!, keys[1]!));
    expect((await cli(["updatekeys", "-y", "s.yaml"], { cwd: dir, env })).code).toBe(0);
    const after = readFileSync(join(dir, "s.yaml"), "utf8").split("\n");
    const sopsAt = before.indexOf("sops:");
    expect(sopsAt).toBeGreaterThan(0);
    expect(after.slice(0, sopsAt + 1)).toEqual(before.slice(0, sopsAt + 1));
    for (const line of ["lastmodified", "mac", "version"]) expect(after.find((l) => l.trimStart().startsWith(`${line}:`))).toBe(before.find((l) => l.trimStart().startsWith(`${line}:`)));
    expect(after.join("\n")).toContain(keys[1]!.recipient);
  });
});
