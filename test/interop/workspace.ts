/**
 * Hermetic workspaces for the interop suite: a temp dir with its own HOME, a GNUPGHOME
 * holding the getsops functional-test PGP key, age identities made by the real
 * `age-keygen`, and an environment scrubbed of the developer's SOPS/cloud settings.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INTEROP_FIXTURES, ROOT } from "../helpers/paths.js";
import { AGE_KEYGEN_BIN, GPG_BIN } from "./peers.js";

/** The getsops functional-test key (TEST-ONLY, published by SOPS's own test suite). */
export const PGP_KEY_FILE = join(INTEROP_FIXTURES, "getsops-sops/keys/sops_functional_tests_key.asc");
export const PGP_FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
/** sobre's bundled TEST-ONLY age identity. */
export const AGE_TEST_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");

export interface AgeKey {
  identity: string;
  recipient: string;
}

const SCRUB = /^(SOPS_|SOBRE_|AWS_|GOOGLE_|AZURE_|VAULT_|GNUPGHOME$|GPG_|EDITOR$|VISUAL$|CLOUDSDK_|HUAWEICLOUD_)/;

export class Workspace {
  readonly dir: string;
  readonly home: string;
  gnupg: string | undefined;

  constructor(prefix = "sobre-interop-") {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.home = join(this.dir, "home");
    mkdirSync(join(this.home, ".config"), { recursive: true });
  }

  /** A scrubbed environment: temp HOME, nothing from SOPS_/AWS_/… of the caller, plus `extra`. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) env[k] = v;
    Object.assign(env, { HOME: this.home, XDG_CONFIG_HOME: join(this.home, ".config"), LC_ALL: "C.UTF-8", NO_COLOR: "1" });
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
    return env;
  }

  /** Env that holds the given age identities (a key file) and, when imported, the PGP key. */
  keyEnv(ageKeys: readonly AgeKey[], pgp: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const file = join(this.dir, `keys-${ageKeys.map((k) => k.recipient.slice(-8)).join("-") || "none"}.txt`);
    writeFileSync(file, ageKeys.map((k) => k.identity).join("\n") + "\n", { mode: 0o600 });
    return this.env({
      SOPS_AGE_KEY_FILE: ageKeys.length > 0 ? file : undefined,
      GNUPGHOME: pgp ? this.gnupg : undefined,
      ...extra,
    });
  }

  /** Import the getsops functional-test key into a fresh GNUPGHOME (short path: socket limits). */
  importPgpKey(): void {
    this.gnupg = mkdtempSync(join(tmpdir(), "sig-"));
    execFileSync(GPG_BIN, ["--batch", "--quiet", "--import", PGP_KEY_FILE], { env: this.env({ GNUPGHOME: this.gnupg }), stdio: "ignore" });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, content: string | Uint8Array): string {
    const p = this.path(name);
    writeFileSync(p, content);
    return p;
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  /** Stop the gpg-agent this workspace started and delete everything. */
  dispose(): void {
    if (this.gnupg) {
      try {
        execFileSync("gpgconf", ["--kill", "gpg-agent"], { env: this.env({ GNUPGHOME: this.gnupg }), stdio: "ignore" });
      } catch {
        // no agent running
      }
      rmSync(this.gnupg, { recursive: true, force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A new age identity from the real `age-keygen` (`pq` → ML-KEM-768 + X25519 hybrid). */
export function ageKeygen(pq = false): AgeKey {
  const identity = execFileSync(AGE_KEYGEN_BIN, pq ? ["-pq"] : [], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
    .split("\n")
    .find((l) => l.startsWith("AGE-SECRET-KEY-"))!;
  const recipient = execFileSync(AGE_KEYGEN_BIN, ["-y"], { input: identity + "\n", encoding: "utf8" }).trim();
  return { identity, recipient };
}

/** sobre's bundled TEST-ONLY identity. */
export function ageTestKey(): AgeKey {
  const text = readFileSync(AGE_TEST_KEY_FILE, "utf8");
  return { identity: text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"))!, recipient: /public key: (age1\S+)/.exec(text)![1]! };
}
