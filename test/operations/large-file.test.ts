import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EARLY_WORKER_BYTES } from "../../src/tree/cipher-pool.js";
import { cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

// Big enough that encrypt and decrypt start the cipher worker before parsing and split
// the values between two threads (over 20 000 values).
const N = 24_000;

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(1);
});

describe(`a ${N}-value dotenv file (cipher worker started early)`, () => {
  it("round-trips, and set re-encrypts only the changed value", async () => {
    const plain = Array.from({ length: N }, (_, i) => `KEY_${i}=${i % 3 ? `välue-${i}-${"x".repeat(i % 40)}` : i}\n`).join("");
    expect(plain.length).toBeGreaterThan(EARLY_WORKER_BYTES.plain);
    const { dir, env } = project(keys);
    put(dir, "big.env", plain);
    expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, "big.env"], { cwd: dir, env })).code).toBe(0);
    const path = join(dir, "big.env");
    const encrypted = readFileSync(path, "utf8");
    expect(encrypted.length).toBeGreaterThan(EARLY_WORKER_BYTES.encrypted);
    const dec = await cli(["decrypt", "big.env"], { cwd: dir, env });
    expect(dec.code).toBe(0);
    expect(dec.stdout).toBe(plain);
    // Every other value keeps its IV and so its exact ciphertext.
    expect((await cli(["set", "big.env", '["KEY_777"]', '"changed"'], { cwd: dir, env })).code).toBe(0);
    const before = encrypted.split("\n");
    const after = readFileSync(path, "utf8").split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [line.split("=")[0]]));
    expect(changed.filter((k) => k!.startsWith("KEY_"))).toEqual(["KEY_777"]);
  });
});
