import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, relative, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { descriptorFor } from "../../keys/registry.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { ask, confirm } from "../prompts.js";

export const options: readonly OptionSpec[] = [
  { name: "yes", aliases: ["y"], type: "boolean", description: "do not ask: use the flags and defaults (for scripts)" },
  { name: "path-regex", type: "string", placeholder: "RE", description: "path_regex of the first creation rule (default .*)" },
  { name: "age", aliases: ["a"], type: "strings", placeholder: "RECIPIENT", description: "age recipient(s) for the rule, instead of your own identity (repeatable)" },
  { name: "identity", type: "string", placeholder: "PATH", description: "age identity file to use or create (default $SOPS_AGE_KEY_FILE, else ~/.config/sops/age/keys.txt)" },
  { name: "encrypted-regex", type: "string", placeholder: "RE", description: "encrypt only values whose key matches RE" },
  { name: "output", aliases: ["o"], type: "string", placeholder: "PATH", description: "where to write the config (default ./.sops.yaml)" },
  { name: "force", type: "boolean", description: "replace an existing config file" },
];
export const usage = "sobre init [--yes] [--path-regex RE] [--age RECIPIENT] [--identity PATH]";
export const summary = "set up: an age identity (if you have none) and a .sops.yaml with a first rule";

function shown(path: string, io: CliIO): string {
  const home = io.env["HOME"] || homedir();
  const rel = relative(io.cwd, path);
  if (!rel.startsWith("..") && !isAbsolute(rel)) return rel;
  return home && path.startsWith(home + "/") ? `~${path.slice(home.length)}` : path;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 0) throw new UsageError("init takes no arguments", { hint: usage });
  const interactive = !values["yes"];
  const { defaultIdentityPath, ensureAgeIdentity, renderInitConfig, writeInitConfig } = await import("../../operations/init.js");
  const configPath = resolve(io.cwd, (values["output"] as string | undefined) ?? ".sops.yaml");
  if (existsSync(configPath) && !values["force"]) {
    throw new UsageError(`${shown(configPath, io)} already exists`, { hint: "edit it by hand (see .sops-like.yaml.example), or pass --force to replace it" });
  }
  const ageDescriptor = descriptorFor("age")!;
  let recipients = ((values["age"] as string[] | undefined) ?? []).flatMap((r) => ageDescriptor.parseRefs(r).map((k) => k.id));
  const lines: string[] = [];
  if (recipients.length === 0) {
    const home = io.env["HOME"] || homedir();
    const identityPath = resolve(io.cwd, (values["identity"] as string | undefined) ?? defaultIdentityPath(io.env, home));
    const exists = existsSync(identityPath);
    if (!exists && interactive && !(await confirm(io, `No age identity at ${shown(identityPath, io)}. Create one?`, true))) {
      throw new UsageError("no recipients for the rule", { hint: "re-run with --age RECIPIENT, or let init create an identity" });
    }
    const identity = await ensureAgeIdentity(identityPath);
    if (identity.recipients.length === 0) {
      throw new UsageError(`${shown(identityPath, io)} holds no age identity sobre can read`, { hint: "pass --age RECIPIENT, or --identity PATH for another identity file" });
    }
    recipients = [identity.recipients[0]!];
    lines.push(
      identity.created
        ? `Created an age identity in ${shown(identityPath, io)} (mode 0600). Keep it secret and back it up: without it nobody can decrypt.`
        : `Using the age identity in ${shown(identityPath, io)}.`,
      `Your age recipient (public key): ${recipients[0]}`,
    );
  }
  let pathRegex = (values["path-regex"] as string | undefined) ?? ".*";
  if (interactive && values["path-regex"] === undefined) pathRegex = await ask(io, "Which files should this rule cover (path_regex, relative to the config)?", pathRegex);
  const { compileRe2 } = await import("../../tree/re2.js");
  const compiled = compileRe2(pathRegex);
  if (!compiled.ok) throw new UsageError(`invalid path regex: ${compiled.error}`, { hint: "use Go RE2 syntax, e.g. '\\.(yaml|json)$' or '^secrets/'" });
  const encryptedRegex = values["encrypted-regex"] as string | undefined;
  const text = renderInitConfig([{ pathRegex, age: recipients, ...(encryptedRegex ? { encryptedRegex } : {}) }]);
  writeInitConfig(configPath, text, !!values["force"]);
  lines.push(
    `Wrote ${shown(configPath, io)}: files matching ${JSON.stringify(pathRegex)} are encrypted for ${recipients.length} age recipient${recipients.length > 1 ? "s" : ""}.`,
    "",
    "Next:",
    "  sobre edit secrets.yaml        create and edit an encrypted file",
    "  sobre encrypt -i config.yaml   encrypt an existing file in place",
    "  sobre decrypt secrets.yaml     print a decrypted file",
    "  git add .sops.yaml secrets.yaml   commit the config and encrypted files (never the identity file)",
    "",
  );
  io.writeStdout(lines.join("\n"));
  return 0;
}
