/**
 * bin/sobre.js keeps V8's code cache for dist/sobre.cjs under $XDG_CACHE_HOME/sobre. The
 * cache holds bytecode, so it must be private (dir 0700, file 0600), keyed by the bundle
 * and Node version, never trusted when others could have written it, and off with
 * NODE_DISABLE_COMPILE_CACHE. Whether it speeds anything up is measured in bench/.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/paths.js";

const BUILT = existsSync(join(ROOT, "dist/sobre.cjs"));
const KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(KEY_FILE, "utf8"))![0];
const POSIX = typeof process.getuid === "function";

let dir: string;
let encrypted: string;

function sobre(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", HOME: join(dir, "home"), SOPS_AGE_KEY_FILE: KEY_FILE, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

beforeAll(() => {
  if (!BUILT) return;
  dir = mkdtempSync(join(tmpdir(), "sobre-code-cache-"));
  writeFileSync(join(dir, "plain.yaml"), "db:\n    password: cache-marker\n");
  const r = sobre(["encrypt", "--age", RECIPIENT, "plain.yaml"], { NODE_DISABLE_COMPILE_CACHE: "1" });
  if (r.code !== 0) throw new Error(`encrypt failed: ${r.stderr}`);
  encrypted = join(dir, "enc.yaml");
  writeFileSync(encrypted, r.stdout);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BUILT || !POSIX)(`V8 code cache${BUILT ? "" : " (skipped: run `npm run build` first)"}`, () => {
  it("is written privately under $XDG_CACHE_HOME/sobre and used by the next run", () => {
    const xdg = join(dir, "xdg-1");
    const first = sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("password: cache-marker");
    const cacheDir = join(xdg, "sobre");
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^[0-9a-f]{32}-decrypt-${process.version.replace(/\./g, "\\.")}-${process.arch}\\.v8$`));
    expect(mode(cacheDir)).toBe(0o700);
    expect(mode(join(cacheDir, files[0]!))).toBe(0o600);
    const written = statSync(join(cacheDir, files[0]!)).mtimeMs;

    const second = sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg });
    expect(second).toEqual(first);
    // Accepted, so not rewritten.
    expect(statSync(join(cacheDir, files[0]!)).mtimeMs).toBe(written);
    // The ~/.cache default was not touched.
    expect(existsSync(join(dir, "home/.cache/sobre"))).toBe(false);
  });

  it("is kept per command, so each command starts from a cache of its own functions", () => {
    const xdg = join(dir, "xdg-6");
    expect(sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    const enc = sobre(["encrypt", "--age", RECIPIENT, "plain.yaml"], { XDG_CACHE_HOME: xdg });
    expect(enc.code, enc.stderr).toBe(0);
    const files = readdirSync(join(xdg, "sobre")).sort();
    expect(files.map((f) => f.split("-")[1])).toEqual(["decrypt", "encrypt"]);
    const written = files.map((f) => statSync(join(xdg, "sobre", f)).mtimeMs);
    expect(sobre(["encrypt", "--age", RECIPIENT, "plain.yaml"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(files.map((f) => statSync(join(xdg, "sobre", f)).mtimeMs)).toEqual(written);
  });

  it("is written only by a run that succeeded, not by one that stopped early", () => {
    const xdg = join(dir, "xdg-7");
    expect(sobre(["decrypt", "missing.yaml"], { XDG_CACHE_HOME: xdg }).code).not.toBe(0);
    expect(sobre(["decrypt", "--help"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(existsSync(join(xdg, "sobre")) ? readdirSync(join(xdg, "sobre")) : []).toEqual([]);
    expect(sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(readdirSync(join(xdg, "sobre"))).toHaveLength(1);
  });

  it("replaces, never reads, a cache file that others could have written", () => {
    const xdg = join(dir, "xdg-2");
    expect(sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    const cacheDir = join(xdg, "sobre");
    const file = join(cacheDir, readdirSync(cacheDir)[0]!);
    writeFileSync(file, "planted");
    chmodSync(file, 0o666);
    const r = sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("password: cache-marker");
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, "latin1")).not.toBe("planted");
  });

  it("is not used from a directory that others can write", () => {
    const cacheDir = join(dir, "xdg-3", "sobre");
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    const r = sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: join(dir, "xdg-3") });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("is off with NODE_DISABLE_COMPILE_CACHE, and `--version` never writes one", () => {
    const xdg = join(dir, "xdg-4");
    expect(sobre(["decrypt", "enc.yaml"], { XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: "1" }).code).toBe(0);
    const version = sobre(["--version"], { XDG_CACHE_HOME: xdg });
    expect(version.stdout).toMatch(/^sobre \d/);
    expect(existsSync(join(xdg, "sobre"))).toBe(false);
  });

  it("keeps package imports working when the code comes from the cache", () => {
    // A .sops.yaml makes encrypt import the `yaml` package from inside the bundle, which
    // on Node 20 fails for code deserialized from a cache unless routed via bin/sobre.js.
    const work = join(dir, "with-config");
    mkdirSync(work);
    writeFileSync(join(work, ".sops.yaml"), `creation_rules:\n  - age: ${RECIPIENT}\n`);
    writeFileSync(join(work, "p.yaml"), "a: 1\n");
    const env = { XDG_CACHE_HOME: join(dir, "xdg-5") };
    const run = (): ReturnType<typeof sobre> => {
      const r = spawnSync(process.execPath, [BIN, "encrypt", "p.yaml"], { cwd: work, env: { PATH: process.env["PATH"] ?? "", HOME: join(dir, "home"), ...env }, encoding: "utf8" });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(join(dir, "xdg-5", "sobre"))).toHaveLength(1);
    const second = run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`recipient: ${RECIPIENT}`);
  });
});
