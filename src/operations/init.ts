import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import { writeFileAtomic } from "./file-io.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where SOPS looks for the user's age identities: `$SOPS_AGE_KEY_FILE` when set, else
 * `$XDG_CONFIG_HOME/sops/age/keys.txt`, else `~/.config/sops/age/keys.txt`.
 */
export function defaultIdentityPath(env: Env, home: string): string {
  if (env["SOPS_AGE_KEY_FILE"]) return env["SOPS_AGE_KEY_FILE"];
  const xdg = env["XDG_CONFIG_HOME"];
  const base = xdg && xdg.startsWith("/") ? xdg : join(home, ".config");
  return join(base, "sops", "age", "keys.txt");
}

export interface IdentityResult {
  path: string;
  /** The recipients of the identities in the file (first = the one to use). */
  recipients: string[];
  created: boolean;
}

/**
 * Use the identity file at `path`, or create it (0600, in a 0700 directory) with a new
 * X25519 identity. Never overwrites anything.
 */
export async function ensureAgeIdentity(path: string): Promise<IdentityResult> {
  const { generateIdentity, identityToRecipient } = await import("../keys/age/keygen.js");
  if (existsSync(path)) {
    const recipients: string[] = [];
    for (const line of readFileSync(path, "utf8").split("\n")) {
      const t = line.trim();
      if (!t.startsWith("AGE-SECRET-KEY-")) continue;
      try {
        recipients.push(await identityToRecipient(t));
      } catch {
        // not an identity we can read; skip it (and never echo it)
      }
    }
    return { path, recipients, created: false };
  }
  const { identity, recipient } = await generateIdentity();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, Buffer.from(identity, "utf8"), { mode: 0o600 });
  return { path, recipients: [recipient], created: true };
}

export interface InitRule {
  pathRegex: string;
  age: string[];
  encryptedRegex?: string;
}

/** Quote a YAML scalar only when it needs it. */
function yamlScalar(s: string): string {
  return /^[A-Za-z0-9_./\\^$*+?()[\]{}|-]+$/.test(s) && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

/** The `.sops.yaml` text `sobre init` writes, commented so it explains itself. */
export function renderInitConfig(rules: readonly InitRule[]): string {
  const lines = [
    "# sobre / SOPS configuration: which keys encrypt which files.",
    "# The first rule whose path_regex matches a file's path (relative to this file) wins.",
    "# Every option is documented in .sops-like.yaml.example.",
    "creation_rules:",
  ];
  for (const rule of rules) {
    lines.push(`  - path_regex: ${yamlScalar(rule.pathRegex)}`);
    if (rule.encryptedRegex) lines.push(`    encrypted_regex: ${yamlScalar(rule.encryptedRegex)}`);
    lines.push("    age:");
    for (const r of rule.age) lines.push(`      - ${r}`);
  }
  return lines.join("\n") + "\n";
}

/** Write a new `.sops.yaml`; refuses to replace an existing one unless `force`. */
export function writeInitConfig(path: string, text: string, force = false): void {
  if (existsSync(path) && !force) {
    throw new UsageError(`${path}: already exists`, { hint: "edit it by hand, or pass --force to replace it" });
  }
  writeFileAtomic(path, Buffer.from(text, "utf8"), { mode: 0o644 });
}
