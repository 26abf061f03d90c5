import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const HAS_GPG = spawnSync("gpg", ["--version"]).status === 0;

/** A hermetic environment: temp HOME, no SOPS_/cloud variables from the developer's shell. */
export function hermeticEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "sobre-home-"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(SOPS_|SOBRE_|AWS_|GOOGLE_|AZURE_|VAULT_|GNUPGHOME)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...extra };
}

/** Environment that can decrypt with the given key files (age key files and armored PGP keys). */
export function envForKeys(keyFiles: readonly string[]): Record<string, string> {
  const ageKeys = keyFiles.filter((k) => k.endsWith(".txt")).map((k) => readFileSync(k, "utf8")).join("\n");
  const pgpKeys = keyFiles.filter((k) => k.endsWith(".asc"));
  const env = hermeticEnv(ageKeys ? { SOPS_AGE_KEY: ageKeys } : {});
  if (pgpKeys.length > 0) {
    if (HAS_GPG) {
      const gnupg = mkdtempSync(join(tmpdir(), "sobre-gnupg-"));
      for (const k of pgpKeys) execFileSync("gpg", ["--batch", "--quiet", "--import", k], { env: { ...env, GNUPGHOME: gnupg }, stdio: "ignore" });
      env["GNUPGHOME"] = gnupg;
    }
    env["SOBRE_PGP_SECRET_KEYS"] = pgpKeys.join(":");
  }
  return env;
}
