import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, EXIT, ExitError } from "../../errors.js";
import { formatForPath, parseFormatName } from "../../formats/registry.js";
import type { FormatName } from "../../formats/types.js";
import { readInputFile, writeFileAtomic } from "../../operations/file-io.js";
import { parseArgs, type OptionSpec, type OptionValues } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { confirm } from "../prompts.js";
import { reportError } from "../report-error.js";
import { decryptionOrder, keyContextFor } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";
import type { ConfigSpec } from "../../config/schema.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...DECRYPT_OPTIONS,
  { name: "yes", aliases: ["y"], type: "boolean", description: "apply the changes without asking" },
  { name: "shamir-secret-sharing-threshold", type: "number", placeholder: "N", description: "Shamir threshold to write (default: the rule's, else the file's)" },
];
export const usage = "sobre updatekeys [-y] FILE|DIR…";
export const summary = "sync the recipients of encrypted files with the current .sops.yaml rules (values untouched)";

/** Directories never searched for encrypted files. */
const SKIPPED_DIRS = new Set([".git", "node_modules", ".hg", ".svn"]);

function formatOf(values: OptionValues, path: string): FormatName {
  return values["input-type"] ? parseFormatName(String(values["input-type"]), "--input-type") : formatForPath(path);
}

/** Files below `dir` that carry SOPS metadata (cheap text check first, then a real parse). */
async function encryptedFilesIn(dir: string, values: OptionValues): Promise<string[]> {
  const { fileStatus } = await import("../../operations/filestatus.js");
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(p);
        continue;
      }
      if (!entry.isFile()) continue;
      const bytes = readFileSync(p);
      if (!bytes.includes("sops")) continue;
      try {
        if ((await fileStatus(bytes, p, formatOf(values, p))).encrypted) out.push(p);
      } catch {
        // not a file in a format we can read: not a SOPS file
      }
    }
  };
  await walk(dir);
  return out;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length === 0) throw new ExitError(EXIT.NoFileSpecified, "no file specified", { hint: usage });
  const { loadConfig } = await import("../../config/creation-from-config.js");
  const spec = await loadConfig({ explicit: values["config"] as string | undefined, cwd: io.cwd, warn: warner(io), verbose: !!values["verbose"] });
  if (!spec) {
    throw new ConfigError("no .sops.yaml found in the current directory or its parents", { exitCode: EXIT.ConfigFileNotFound, hint: "run `sobre init`, or pass --config PATH" });
  }
  const files: { name: string; path: string }[] = [];
  for (const arg of positionals) {
    const target = resolveTarget(arg, io, usage);
    if (!target.exists) {
      throw new ExitError(EXIT.CannotChangeKeysFromNonExistentFile, `${arg}: no such file`, { hint: "updatekeys changes the keys of existing encrypted files; create new ones with `sobre edit`" });
    }
    if (statSync(target.path).isDirectory()) {
      for (const p of await encryptedFilesIn(target.path, values)) files.push({ name: join(arg, p.slice(target.path.length + 1)), path: p });
    } else files.push({ name: arg, path: target.path });
  }
  if (files.length === 1) {
    await updateOne(files[0]!, spec, values, io);
    return 0;
  }
  let failed = 0;
  for (const file of files) {
    try {
      await updateOne(file, spec, values, io);
    } catch (err) {
      failed++;
      reportError(err, io);
    }
  }
  if (failed > 0) throw new ExitError(EXIT.ErrorGeneric, `failed to update the keys of ${failed} of ${files.length} files`);
  return 0;
}

async function updateOne(file: { name: string; path: string }, spec: ConfigSpec, values: OptionValues, io: CliIO): Promise<void> {
  const { requireCreationRule, keysOfRule } = await import("../../config/creation-from-config.js");
  const { loadSealedFile } = await import("../../operations/rekey.js");
  const { planKeyUpdate, formatPlan, applyKeyUpdate } = await import("../../operations/update-keys.js");
  const warn = warner(io);
  const format = formatOf(values, file.path);
  const sealed = await loadSealedFile(readInputFile(file.path), file.name, format);
  const rule = requireCreationRule(spec, (values["filename-override"] as string | undefined) ?? file.path, io.cwd);
  const wanted = keysOfRule(spec, rule, warn);
  const override = (values["shamir-secret-sharing-threshold"] as number | undefined) || rule.shamirThreshold;
  const plan = planKeyUpdate(sealed.metadata.keyGroups, sealed.metadata.shamirThreshold, wanted, override);
  if (!plan.changes) {
    io.writeStderr(`sobre: ${file.name}: keys already up to date\n`);
    return;
  }
  io.writeStderr(`The following changes will be made to the key groups of ${file.name}:\n${formatPlan(plan)}`);
  if (!values["yes"] && !(await confirm(io, "Is this okay?"))) {
    io.writeStderr(`sobre: ${file.name}: left unchanged\n`);
    return;
  }
  const order = decryptionOrder(values);
  const indent = await indentFor(values, io, format);
  const output = await applyKeyUpdate({
    sealed,
    file: file.name,
    wanted,
    plan,
    keyContext: await keyContextFor(values, io, warn),
    ...(order ? { decryptionOrder: order } : {}),
    ...(indent !== undefined ? { indent } : {}),
  });
  writeFileAtomic(file.path, output);
  io.writeStderr(`sobre: ${file.name}: keys updated\n`);
}
