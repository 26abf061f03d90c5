/** Shared helpers for the age key source tests: hermetic contexts and temp homes. */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";
import type { KeyContext } from "../../../src/keys/types.js";

/** Directory of the test plugin and other age fixtures. */
export const AGE_FIXTURES = resolve(import.meta.dirname, "fixtures");
/** The real age binaries, when installed (tests using them skip otherwise). */
export const AGE_BIN = join(process.env.HOME ?? "/nonexistent", "go/bin/age");
export const HAS_AGE = existsSync(AGE_BIN);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory removed after the file's tests. */
export function tempDir(prefix = "sobre-age-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Environment without any SOPS_/cloud variables, with PATH extended by the fixtures dir. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SOPS_|AWS_|GOOGLE_|AZURE_|VAULT_|XDG_)/.test(k)) continue;
    env[k] = v;
  }
  chmodSync(join(AGE_FIXTURES, "age-plugin-sobretest"), 0o755);
  env.PATH = `${AGE_FIXTURES}:${process.env.PATH ?? ""}`;
  return { ...env, ...extra };
}

/** A KeyContext with a temp HOME, a clean env and recorded warnings. */
export function makeCtx(
  options: { env?: Record<string, string>; home?: string; promptSecret?: (q: string) => Promise<string> } = {},
): KeyContext & { warnings: string[]; prompts: string[] } {
  const home = options.home ?? tempDir("sobre-age-home-");
  const warnings: string[] = [];
  const prompts: string[] = [];
  const prompt = options.promptSecret;
  return {
    env: cleanEnv({ HOME: home, ...options.env }),
    cwd: home,
    home,
    warn: (m) => warnings.push(m),
    cache: new Map(),
    warnings,
    prompts,
    ...(prompt
      ? {
          promptSecret: (q: string) => {
            prompts.push(q);
            return prompt(q);
          },
        }
      : {}),
  };
}
