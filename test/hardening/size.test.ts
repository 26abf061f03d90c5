import { randomBytes, createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LONG } from "./support/fuzz.js";
import { STACK_TRACE, buildCli, cliEnv, removeCli, runCli } from "./support/cli.js";
import { AGE_RECIPIENT } from "./support/samples.js";

/**
 * Large files, generated on the fly: encrypt and decrypt must give the input back with
 * peak memory bounded by a small multiple of the file size. Default suite: 20 MiB binary
 * and a 2 MiB YAML with 20k keys. SOBRE_FUZZ_LONG=1: 200 MiB binary and 20 MiB YAML.
 */

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "sobre-size-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeCli();
});

function writeRandom(path: string, bytes: number): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  const chunk = 1 << 20;
  for (let left = bytes; left > 0; left -= chunk) {
    const b = randomBytes(Math.min(chunk, left));
    hash.update(b);
    writeSync(fd, b);
  }
  closeSync(fd);
  return hash.digest("hex");
}

const MiB = 1024 * 1024;

describe("large files", () => {
  const binSize = (LONG ? 200 : 20) * MiB;
  it(`binary ${binSize / MiB} MiB: round trip, peak RSS < 12× size + 150 MiB`, () => {
    const src = join(dir, "big.bin");
    const digest = writeRandom(src, binSize);
    const env = cliEnv();
    const enc = join(dir, "big.enc");
    const e = runCli(cli, ["encrypt", "--age", AGE_RECIPIENT, "--output", enc, src], { env, timeoutMs: LONG ? 600_000 : 60_000, nodeArgs: LONG ? ["--max-old-space-size=8192"] : [] });
    expect(e.timedOut).toBe(false);
    expect(e.stderr).not.toMatch(STACK_TRACE);
    expect(e.status, e.stderr).toBe(0);
    const out = join(dir, "big.out");
    const d = runCli(cli, ["decrypt", "--output", out, enc], { env, timeoutMs: LONG ? 600_000 : 60_000, nodeArgs: LONG ? ["--max-old-space-size=8192"] : [] });
    expect(d.status, d.stderr).toBe(0);
    expect(statSync(out).size).toBe(binSize);
    expect(createHash("sha256").update(readFileSync(out)).digest("hex")).toBe(digest);
    const bound = (12 * binSize) / 1024 + 150 * 1024;
    for (const r of [e, d]) if (r.maxRssKiB !== undefined) expect(r.maxRssKiB).toBeLessThan(bound);
  });

  const keys = LONG ? 200_000 : 5_000;
  it(`YAML with ${keys} keys: round trip, peak RSS < 40× size + 150 MiB`, () => {
    const src = join(dir, "big.yaml");
    const text = Array.from({ length: keys }, (_, i) => `key${i}: value-${i}-${"x".repeat(70)}\n`).join("");
    const fd = openSync(src, "w");
    writeSync(fd, text);
    closeSync(fd);
    const env = cliEnv();
    const e = runCli(cli, ["encrypt", "--age", AGE_RECIPIENT, "-i", src], { env, timeoutMs: LONG ? 600_000 : 60_000 });
    expect(e.status, e.stderr).toBe(0);
    const d = runCli(cli, ["decrypt", src], { env, timeoutMs: LONG ? 600_000 : 60_000 });
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout.toString("utf8") === text).toBe(true);
    const bound = (40 * text.length) / 1024 + 150 * 1024;
    for (const r of [e, d]) if (r.maxRssKiB !== undefined) expect(r.maxRssKiB).toBeLessThan(bound);
  });
});
