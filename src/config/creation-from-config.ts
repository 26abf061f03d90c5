import { isAbsolute, resolve, sep, dirname } from "node:path";
import type { Creation, CreationInput } from "../cli/creation.js";
import { ConfigError, EXIT, UsageError } from "../errors.js";
import { formatForPath } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { parseEncryptionContext } from "../keys/aws-kms/index.js";
import type { MasterKey } from "../keys/types.js";
import type { SelectionOptions } from "../tree/selection.js";
import { locateConfig, loadConfigSpec } from "./find-config.js";
import { hasIgnoredFlatKeys, keyGroupsOfRule } from "./key-groups.js";
import type { ConfigSpec, RuleSpec } from "./schema.js";

export interface LoadConfigOptions {
  /** `--config` / `$SOPS_CONFIG`. */
  explicit?: string | undefined;
  cwd: string;
  warn: (message: string) => void;
  /** Print notes about ignored sections (destination_rules). */
  verbose?: boolean;
}

/** Find and load the config; undefined when there is none (it is optional). */
export async function loadConfig(opts: LoadConfigOptions): Promise<ConfigSpec | undefined> {
  const found = locateConfig({ explicit: opts.explicit, cwd: opts.cwd });
  if (found.warning) opts.warn(found.warning);
  if (!found.config) return undefined;
  const spec = await loadConfigSpec(found.config);
  if (opts.verbose) for (const note of spec.notes) opts.warn(note);
  return spec;
}

/**
 * The path a rule's `path_regex` sees, as SOPS computes it: the absolute file path,
 * relative to the config file's directory when the file is below it.
 */
export function pathForMatching(spec: ConfigSpec, file: string | undefined, cwd: string): string {
  if (!file) return "";
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  const prefix = dirname(spec.path) + sep;
  return abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
}

/** First rule whose `path_regex` matches (a rule without one matches everything). */
export function findCreationRule(spec: ConfigSpec, file: string | undefined, cwd: string): RuleSpec | undefined {
  const target = pathForMatching(spec, file, cwd);
  return spec.creationRules?.find((rule) => !rule.pathRegex || rule.pathRegex.regex.test(target));
}

/** Like {@link findCreationRule}, but a config without a matching rule is an error (SOPS: exit 1). */
export function requireCreationRule(spec: ConfigSpec, file: string | undefined, cwd: string): RuleSpec {
  if (!spec.creationRules) {
    throw new ConfigError(`${spec.display}: the config file has no creation_rules`, {
      exitCode: EXIT.NoEncryptionKeyFound,
      hint: "add a creation_rules list (see .sops-like.yaml.example), or pass recipients with --age/--pgp/--kms",
    });
  }
  const rule = findCreationRule(spec, file, cwd);
  if (!rule) {
    const target = pathForMatching(spec, file, cwd) || "(stdin)";
    throw new ConfigError(`${spec.display}: no matching creation rules found for ${JSON.stringify(target)}`, {
      exitCode: EXIT.ErrorGeneric,
      hint: `add a rule whose path_regex matches that path (paths are relative to ${spec.display}'s directory), use --filename-override, or pass --age/--pgp/--kms`,
    });
  }
  return rule;
}

/** The master keys of a rule, warning when `key_groups` shadows flat key lists. */
export function keysOfRule(spec: ConfigSpec, rule: RuleSpec, warn: (m: string) => void, kmsContext?: Record<string, string>): MasterKey[][] {
  if (hasIgnoredFlatKeys(rule)) warn(`${spec.display}:${rule.line}: this rule has key_groups, so its flat key lists (age, pgp, kms, …) are ignored`);
  return keyGroupsOfRule(rule, spec.display, kmsContext ? { kmsContext } : {});
}

/** `stores.<fmt>.indent` for an output format (yaml, json; binary uses json_binary). */
export function storesIndent(spec: ConfigSpec | undefined, format: FormatName): number | undefined {
  if (!spec) return undefined;
  if (format === "yaml") return spec.stores.yaml;
  if (format === "json") return spec.stores.json;
  if (format === "binary") return spec.stores.json_binary;
  return undefined;
}

function outputFormatOf(input: CreationInput): FormatName | undefined {
  const v = input.values;
  const named = (v["output-type"] ?? v["input-type"]) as string | undefined;
  if (named) return named as FormatName;
  return input.file ? formatForPath(input.file) : undefined;
}

/**
 * Recipients and options for a new file. Command-line recipients win; otherwise the
 * first matching `.sops.yaml` creation rule supplies the key groups. Selection flags,
 * when any is given, replace the rule's selection option as a whole (mixing one from
 * each would be an error in SOPS); `--shamir-secret-sharing-threshold` beats the rule's.
 */
export async function creationFromConfig(input: CreationInput): Promise<Creation> {
  const { values, io } = input;
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const spec = await loadConfig({ explicit: values["config"] as string | undefined, cwd: io.cwd, warn, verbose: !!values["verbose"] });
  const hasFlagKeys = input.flagRecipients.length > 0;
  let rule: RuleSpec | undefined;
  if (spec && hasFlagKeys) rule = findCreationRule(spec, input.file, io.cwd);
  else if (spec) rule = requireCreationRule(spec, input.file, io.cwd);
  const context = values["encryption-context"] ? parseEncryptionContext(String(values["encryption-context"])) : undefined;
  const groups = hasFlagKeys ? [input.flagRecipients] : rule && spec ? keysOfRule(spec, rule, warn, context) : [];
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UsageError(spec && rule ? `${spec.display}:${rule.line}: the matching creation rule lists no keys` : "no recipients given and no .sops.yaml found", {
      exitCode: EXIT.NoEncryptionKeyFound,
      hint: "pass --age age1… (or set SOPS_AGE_RECIPIENTS), or add keys to a creation rule in .sops.yaml (run `sobre init` to create one)",
    });
  }
  const flagSelection = Object.values(input.flagSelection).some((v) => !!v);
  const selection: SelectionOptions = flagSelection ? input.flagSelection : (rule?.selection ?? {});
  const flagThreshold = values["shamir-secret-sharing-threshold"] as number | undefined;
  const format = outputFormatOf(input);
  const indent = format ? storesIndent(spec, format) : undefined;
  return {
    groups,
    shamirThreshold: flagThreshold || rule?.shamirThreshold || 0,
    selection,
    macOnlyEncrypted: !!values["mac-only-encrypted"] || !!rule?.macOnlyEncrypted,
    ...(indent !== undefined ? { indent } : {}),
  };
}
