import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyContext } from "../../../src/keys/types.js";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";

/** Whether a real gpg is on PATH (gpg tests skip without it). */
export const HAS_GPG = spawnSync("gpg", ["--version"], { stdio: "ignore" }).status === 0;

/** A test title that says why it is skipped when gpg is missing. */
export const needsGpg = (title: string, skipped = !HAS_GPG): string => (skipped ? `${title} (skipped: gpg not found on PATH)` : title);

/** Every TEST-ONLY PGP key file of the interop fixtures (`*\/keys/*.asc`). */
export function fixtureKeyFiles(): string[] {
  const files: string[] = [];
  for (const dir of readdirSync(INTEROP_FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    let names: string[];
    try {
      names = readdirSync(join(INTEROP_FIXTURES, dir.name, "keys"));
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith(".asc")) files.push(join(INTEROP_FIXTURES, dir.name, "keys", n));
  }
  return files.sort();
}

/** A fixture key file by `<source>/keys/<name>`. */
export const keyFile = (rel: string): string => join(INTEROP_FIXTURES, rel);

/** A scratch directory with a private GNUPGHOME (mode 700), removed by `cleanup`. */
export interface Sandbox {
  dir: string;
  gnupgHome: string;
  /** Run gpg in this sandbox's GNUPGHOME (for test setup and checks). */
  gpg(args: string[], input?: string | Uint8Array): { status: number | null; stdout: Buffer; stderr: string };
  cleanup(): void;
}

/** Make a sandbox; `importKeys` are imported into its GNUPGHOME when gpg exists. */
export function makeSandbox(importKeys: string[] = []): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "sobre-pgp-"));
  const gnupgHome = join(dir, "gnupg");
  mkdirSync(gnupgHome, { mode: 0o700 });
  chmodSync(gnupgHome, 0o700); // gpg warns about unsafe permissions otherwise (umask)
  const env = { PATH: process.env.PATH ?? "", HOME: dir, GNUPGHOME: gnupgHome };
  const gpg: Sandbox["gpg"] = (args, input) => {
    const r = spawnSync("gpg", ["--batch", ...args], { env, input, maxBuffer: 1 << 24 });
    return { status: r.status, stdout: r.stdout, stderr: String(r.stderr) };
  };
  if (HAS_GPG && importKeys.length > 0) {
    const r = gpg(["--import", ...importKeys]);
    if (r.status !== 0) throw new Error(`gpg --import failed: ${r.stderr}`);
  }
  return {
    dir,
    gnupgHome,
    gpg,
    cleanup() {
      // Stop the gpg-agent this home started, then remove everything.
      if (HAS_GPG) spawnSync("gpgconf", ["--kill", "all"], { env, stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A hermetic KeyContext: only PATH from the real environment, plus `env`. */
export function makeCtx(sandbox: Sandbox, env: Record<string, string | undefined> = {}, promptSecret?: (q: string) => Promise<string>): KeyContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    env: { PATH: process.env.PATH ?? "", HOME: sandbox.dir, GNUPGHOME: sandbox.gnupgHome, ...env },
    cwd: sandbox.dir,
    home: sandbox.dir,
    ...(promptSecret === undefined ? {} : { promptSecret }),
    warn: (m: string) => warnings.push(m),
    cache: new Map(),
    warnings,
  };
}

/** Write a file in the sandbox and return its path. */
export function writeIn(sandbox: Sandbox, name: string, content: string | Uint8Array): string {
  const path = join(sandbox.dir, name);
  writeFileSync(path, content);
  return path;
}
