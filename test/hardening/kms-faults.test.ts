import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { startFakeVault, type FakeVault } from "../fakes/hc-vault.js";
import { hermeticEnv } from "../helpers/key-env.js";
import { fakeIO } from "../operations/lifecycle-helpers.js";
import { MARKER } from "./support/fuzz.js";

/**
 * Network key-manager faults through the CLI (in-process, so the protocol fake lives in
 * this process): 5xx storms, connection resets, stalls. Retries must be bounded (counted
 * at the fake), the error clear (exit 128, the key named), and no file half-written.
 */

let vault: FakeVault;
let dir: string;
// A fresh fake per test: failures queued for a storm must not leak into the next test.
beforeEach(async () => {
  vault = await startFakeVault();
  vault.createKey("transit", "app");
  vault.slowMs = 3000;
  dir = mkdtempSync(join(tmpdir(), "sobre-kmsfault-"));
});
afterEach(() => vault.close());

const PLAIN = `db:\n  password: ${MARKER}\n`;
const uri = () => `${vault.url}/v1/transit/keys/app`;
const env = (extra: Record<string, string> = {}) => hermeticEnv({ VAULT_TOKEN: "hvs.root", SOBRE_KMS_TIMEOUT: "0.5", ...extra });

async function cli(args: string[], e: Record<string, string>) {
  const io = fakeIO({ cwd: dir, env: e });
  const code = await run(args, io);
  return { code, stderr: io.stderr(), stdout: io.stdout() };
}

function fresh(name: string, content = PLAIN): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const encryptedRequests = () => vault.requests.filter((r) => /\/(encrypt|decrypt)\//.test(r.url)).length;
const noTemp = () => expect(readdirSync(dir).filter((f) => f.includes("sobre-tmp"))).toEqual([]);

describe("hc_vault transit faults", () => {
  it("a 5xx storm: 1 + SOBRE_KMS_RETRIES attempts, exit 128 naming the key, file untouched", async () => {
    const p = fresh("storm.yaml");
    vault.inject("server-error", 50);
    const before = encryptedRequests();
    const r = await cli(["encrypt", "-i", "--hc-vault-transit", uri(), p], env({ SOBRE_KMS_RETRIES: "3" }));
    expect(r.code).toBe(128);
    expect(encryptedRequests() - before).toBe(4);
    expect(r.stderr).toContain("transit");
    expect(r.stderr).not.toContain(MARKER);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(p, "utf8")).toBe(PLAIN);
    noTemp();
  });

  it("a connection reset mid-request is retried and the encryption completes", async () => {
    const p = fresh("reset.yaml");
    vault.inject("reset", 1);
    const before = encryptedRequests();
    const r = await cli(["encrypt", "-i", "--hc-vault-transit", uri(), p], env());
    expect(r.code, r.stderr).toBe(0);
    expect(encryptedRequests() - before).toBe(2);
    const d = await cli(["decrypt", p], env());
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(MARKER);
  });

  it("a stalled server: each attempt times out, bounded total time, exit 128", async () => {
    const p = fresh("slow.yaml");
    vault.inject("slow", 2);
    const before = encryptedRequests();
    const t0 = Date.now();
    const r = await cli(["encrypt", "-i", "--hc-vault-transit", uri(), p], env({ SOBRE_KMS_RETRIES: "1" }));
    expect(r.code).toBe(128);
    expect(r.stderr).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(2900);
    // A timed-out call may be retried at most SOBRE_KMS_RETRIES times.
    expect(encryptedRequests() - before).toBeGreaterThanOrEqual(1);
    expect(encryptedRequests() - before).toBeLessThanOrEqual(2);
    expect(readFileSync(p, "utf8")).toBe(PLAIN);
    noTemp();
  });

  it("decrypt during a 5xx storm: exit 128, nothing printed on stdout", async () => {
    const p = fresh("dec.yaml");
    expect((await cli(["encrypt", "-i", "--hc-vault-transit", uri(), p], env())).code).toBe(0);
    const encrypted = readFileSync(p);
    vault.inject("server-error", 50);
    const r = await cli(["decrypt", p], env({ SOBRE_KMS_RETRIES: "2" }));
    expect(r.code).toBe(128);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain(MARKER);
    expect(readFileSync(p)).toEqual(encrypted);
  });
});

