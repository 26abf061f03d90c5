import { ConfigError, SobreError } from "../errors.js";
import { makeKmsKey, parseKmsRefs } from "../keys/aws-kms/index.js";
import { descriptorFor } from "../keys/registry.js";
import type { MasterKey } from "../keys/types.js";
import type { FlatKeys, GroupSpec, Ref, RuleSpec } from "./schema.js";

/** Inputs for building a rule's keys that come from the command line, not the file. */
export interface KeyBuildOptions {
  /** `--encryption-context`, applied to the rule's flat `kms` list (SOPS does the same). */
  kmsContext?: Record<string, string>;
}

/**
 * The master keys a creation rule names: its `key_groups` (each with nested `merge`
 * groups flattened in front, duplicates dropped), or else one group from the flat lists.
 * Key types whose client is not installed still parse; using them fails later with
 * the client's own error.
 */
export function keyGroupsOfRule(rule: RuleSpec, display: string, opts: KeyBuildOptions = {}): MasterKey[][] {
  if (rule.keyGroups && rule.keyGroups.length > 0) {
    return rule.keyGroups.map((g, i) => {
      const keys = dedupe(keysOfGroup(g, display));
      if (keys.length === 0) throw new ConfigError(`${display}:${g.line}: creation_rules[${rule.index}].key_groups[${i}] has no keys`, { hint: "add keys to the group or remove it" });
      return keys;
    });
  }
  return [dedupe(flatKeys(rule, display, opts))];
}

/** Does the rule also list flat keys that `key_groups` makes SOPS ignore? */
export function hasIgnoredFlatKeys(rule: RuleSpec): boolean {
  return !!rule.keyGroups && rule.keyGroups.length > 0 && Object.values(rule.flat).some((refs: Ref[]) => refs.length > 0);
}

function flatKeys(rule: RuleSpec, display: string, opts: KeyBuildOptions): MasterKey[] {
  const order: (keyof FlatKeys)[] = ["age", "pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault"];
  const keys: MasterKey[] = [];
  for (const type of order) {
    const refs = rule.flat[type];
    if (refs.length === 0) continue;
    if (type === "kms") {
      for (const ref of refs) {
        keys.push(...parseAt(display, ref, () => parseKmsRefs(ref.value, { ...(opts.kmsContext ? { context: opts.kmsContext } : {}), awsProfile: rule.awsProfile })));
      }
      continue;
    }
    for (const ref of refs) keys.push(...parseRefsAt(type, ref, display));
  }
  return keys;
}

function keysOfGroup(group: GroupSpec, display: string): MasterKey[] {
  const keys: MasterKey[] = [];
  for (const sub of group.merge) keys.push(...keysOfGroup(sub, display));
  for (const ref of group.age) keys.push(...parseRefsAt("age", ref, display));
  for (const ref of group.pgp) keys.push(...parseRefsAt("pgp", ref, display));
  for (const item of group.kms) {
    const ref = { value: item.arn, line: item.line };
    keys.push(...parseAt(display, ref, () => [makeKmsKey({ arn: item.arn, role: item.role, context: item.context, awsProfile: item.awsProfile })]));
  }
  for (const ref of group.gcpKms) keys.push(...parseRefsAt("gcp_kms", ref, display));
  for (const ref of group.hckms) keys.push(...parseRefsAt("hckms", ref, display));
  for (const item of group.azure) {
    const url = `${item.vaultUrl.replace(/\/+$/, "")}/keys/${item.key}${item.version ? `/${item.version}` : ""}`;
    keys.push(...parseRefsAt("azure_kv", { value: url, line: item.line }, display));
  }
  for (const ref of group.vault) keys.push(...parseRefsAt("hc_vault", ref, display));
  return keys;
}

function parseRefsAt(type: string, ref: Ref, display: string): MasterKey[] {
  const descriptor = descriptorFor(type);
  if (!descriptor) {
    throw new ConfigError(`${display}:${ref.line}: key type ${type} is not supported by sobre`, { hint: "remove these keys from the rule or use sops for this file" });
  }
  return parseAt(display, ref, () => descriptor.parseRefs(ref.value));
}

/** Run a key parser, re-throwing its error as a ConfigError at the config line. */
function parseAt(display: string, ref: Ref, parse: () => MasterKey[]): MasterKey[] {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SobreError) {
      throw new ConfigError(`${display}:${ref.line}: ${err.message}`, { ...(err.hint ? { hint: err.hint } : {}), cause: err });
    }
    throw err;
  }
}

/** SOPS's deduplicateKeygroup: same type and identity = same key. */
function dedupe(keys: MasterKey[]): MasterKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.type}/${k.id}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
