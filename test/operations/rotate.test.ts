import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(3);
});

const PLAIN = { a: "1", b: { c: 2, d: [true, "x"] } };

async function setup() {
  const { dir, env } = project(keys);
  put(dir, "s.json", JSON.stringify(PLAIN));
  expect((await cli(["encrypt", "-i", "--age", `${keys[0]!.recipient},${keys[1]!.recipient}`, "s.json"], { cwd: dir, env })).code).toBe(0);
  const path = join(dir, "s.json");
  const as = (k: AgeKey) => ({ ...env, SOPS_AGE_KEY: k.identity });
  return { dir, env, path, as, before: readFileSync(path, "utf8") };
}

function encValues(text: string): string[] {
  return [...text.matchAll(/ENC\[AES256_GCM,data:[^\]]+\]/g)].map((m) => m[0]);
}

describe("sobre rotate", () => {
  it("re-encrypts every value with a new data key (to stdout without -i)", async () => {
    const s = await setup();
    const r = await cli(["rotate", "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(readFileSync(s.path, "utf8")).toBe(s.before);
    const oldValues = new Set(encValues(s.before));
    const newValues = encValues(r.stdout);
    expect(newValues.length).toBe(oldValues.size);
    for (const v of newValues) expect(oldValues.has(v)).toBe(false);
    put(s.dir, "r.json", r.stdout);
    expect(JSON.parse((await cli(["decrypt", "r.json"], { cwd: s.dir, env: s.as(keys[1]!) })).stdout)).toEqual(PLAIN);
  });

  it("-i with --add-age / --rm-age changes the recipients", async () => {
    const s = await setup();
    const r = await cli(["rotate", "-i", "--add-age", keys[2]!.recipient, "--rm-age", keys[0]!.recipient, "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    const text = readFileSync(s.path, "utf8");
    expect(text).toContain(keys[2]!.recipient);
    expect(text).not.toContain(keys[0]!.recipient);
    expect(JSON.parse((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.as(keys[2]!) })).stdout)).toEqual(PLAIN);
    expect((await cli(["decrypt", "s.json"], { cwd: s.dir, env: s.as(keys[0]!) })).code).toBe(128);
  });

  it("legacy -r -i works like rotate -i", async () => {
    const s = await setup();
    expect((await cli(["-r", "-i", "s.json"], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(readFileSync(s.path, "utf8")).not.toBe(s.before);
  });

  it("warns about removing a key the file does not have", async () => {
    const s = await setup();
    const r = await cli(["rotate", "-i", "--rm-age", keys[2]!.recipient, "s.json"], { cwd: s.dir, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/is not a key of s\.json/);
  });

  it("adding keys to a missing file is exit 49; rotating a missing file is exit 100", async () => {
    const s = await setup();
    expect((await cli(["rotate", "-i", "--add-age", keys[2]!.recipient, "nope.json"], { cwd: s.dir, env: s.env })).code).toBe(49);
    expect((await cli(["rotate", "-i", "nope.json"], { cwd: s.dir, env: s.env })).code).toBe(100);
    expect(existsSync(join(s.dir, "nope.json"))).toBe(false);
  });

  it("without a usable identity: exit 128 listing the keys tried", async () => {
    const s = await setup();
    const r = await cli(["rotate", "s.json"], { cwd: s.dir, env: s.as(keys[2]!) });
    expect(r.code).toBe(128);
    expect(r.stderr).toContain(keys[0]!.recipient);
    expect(r.stderr).toContain(keys[1]!.recipient);
  });
});
