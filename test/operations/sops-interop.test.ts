import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/paths.js";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

const SOPS = join(homedir(), "go/bin/sops");
const READY = existsSync(SOPS) && existsSync(join(ROOT, "src/formats/yaml/index.ts"));

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(3);
});

function sopsDecrypt(dir: string, file: string, env: Record<string, string>, identities: AgeKey[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(SOPS, ["decrypt", file], { cwd: dir, env: { ...env, SOPS_AGE_KEY: identities.map((k) => k.identity).join("\n") }, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!READY)("files changed by sobre decrypt with real sops", () => {
  it("after set, unset, updatekeys, groups add and rotate", async () => {
    const { dir, env } = project(keys);
    put(dir, ".sops.yaml", `creation_rules:\n  - age: ${keys[0]!.recipient}\n`);
    put(dir, "s.yaml", "a: 1\nb:\n    c: two # note\n    d: [x, y]\n");
    const run = async (argv: string[]) => expect((await cli(argv, { cwd: dir, env })).code).toBe(0);
    await run(["encrypt", "-i", "s.yaml"]);
    await run(["set", "s.yaml", '["b"]["e"]', '{"f": 2.5}']);
    await run(["unset", "s.yaml", '["a"]']);
    let r = sopsDecrypt(dir, "s.yaml", env, [keys[0]!]);
    expect(r.stderr).toBe("");
    // sops re-renders the YAML its own way; compare the values.
    expect(parse(r.stdout)).toEqual({ b: { c: "two", d: ["x", "y"], e: { f: 2.5 } } });
    put(dir, ".sops.yaml", `creation_rules:\n  - age: ${keys[0]!.recipient},${keys[1]!.recipient}\n`);
    await run(["updatekeys", "-y", "s.yaml"]);
    expect(sopsDecrypt(dir, "s.yaml", env, [keys[1]!]).status).toBe(0);
    await run(["groups", "add", "-f", "s.yaml", "--age", keys[2]!.recipient, "-i"]);
    expect(sopsDecrypt(dir, "s.yaml", env, [keys[1]!]).status).not.toBe(0);
    r = sopsDecrypt(dir, "s.yaml", env, [keys[1]!, keys[2]!]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("f: 2.5");
    await run(["rotate", "-i", "s.yaml"]);
    expect(sopsDecrypt(dir, "s.yaml", env, [keys[0]!, keys[2]!]).status).toBe(0);
    expect(readFileSync(join(dir, "s.yaml"), "utf8")).toContain("shamir_threshold: 2");
  });
});
