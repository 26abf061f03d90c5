import { compileRe2 } from "../tree/re2.js";
import { SELECTION_KEYS, type SelectionOptions } from "../tree/selection.js";
import type { ConfigNode } from "./config-yaml.js";
import { ConfigReader, entryOf } from "./validate.js";

/** A key reference with the line it came from. */
export interface Ref {
  value: string;
  line: number;
}

/** `kms` item inside a key group. */
export interface KmsItem {
  arn: string;
  role: string;
  context: Record<string, string>;
  awsProfile: string;
  line: number;
}

export interface AzureItem {
  vaultUrl: string;
  key: string;
  version: string;
  line: number;
}

/** One `key_groups` item (with nested `merge` groups, SOPS 3.10+). */
export interface GroupSpec {
  line: number;
  merge: GroupSpec[];
  age: Ref[];
  pgp: Ref[];
  kms: KmsItem[];
  gcpKms: Ref[];
  azure: AzureItem[];
  vault: Ref[];
  hckms: Ref[];
}

/** Flat key lists of a rule, by on-disk type. */
export interface FlatKeys {
  age: Ref[];
  pgp: Ref[];
  kms: Ref[];
  gcp_kms: Ref[];
  azure_kv: Ref[];
  hc_vault: Ref[];
  hckms: Ref[];
}

export interface RuleSpec {
  index: number;
  line: number;
  pathRegex: { source: string; regex: RegExp } | undefined;
  flat: FlatKeys;
  awsProfile: string;
  keyGroups: GroupSpec[] | undefined;
  shamirThreshold: number;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
}

export interface ConfigSpec {
  /** Absolute path of the config file. */
  path: string;
  /** As shown in messages. */
  display: string;
  /** Undefined when the file has no `creation_rules` (SOPS then acts as if there were no config). */
  creationRules: RuleSpec[] | undefined;
  destinationRuleCount: number;
  stores: { yaml?: number; json?: number; json_binary?: number };
  /** Non-fatal remarks for --verbose (ignored sections). */
  notes: string[];
}

const TOP_KEYS = ["creation_rules", "destination_rules", "stores"];
const FLAT_NAMES: Record<string, keyof FlatKeys> = {
  age: "age",
  pgp: "pgp",
  kms: "kms",
  gcp_kms: "gcp_kms",
  azure_keyvault: "azure_kv",
  hc_vault_transit_uri: "hc_vault",
  hckms: "hckms",
};
const RULE_KEYS = ["path_regex", ...Object.keys(FLAT_NAMES), "aws_profile", "key_groups", "shamir_threshold", ...Object.values(SELECTION_KEYS), "mac_only_encrypted"];
const GROUP_KEYS = ["merge", "age", "pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault", "hckms"];

/** Validate a parsed `.sops.yaml` and turn it into typed rules; every error names its line. */
export function readConfigSpec(root: ConfigNode, path: string, display: string): ConfigSpec {
  const r = new ConfigReader(display);
  const spec: ConfigSpec = { path, display, creationRules: undefined, destinationRuleCount: 0, stores: {}, notes: [] };
  if (root.kind === "scalar" && root.value === null) return spec;
  const top = r.map(root, "the config file");
  r.checkKeys(top, TOP_KEYS, "the config file");
  const rules = entryOf(top, "creation_rules");
  if (rules && !(rules.value.kind === "scalar" && rules.value.value === null)) {
    spec.creationRules = r.list(rules.value, "creation_rules").map((node, i) => readRule(r, node, i));
  }
  const dest = entryOf(top, "destination_rules");
  if (dest) {
    spec.destinationRuleCount = r.list(dest.value, "destination_rules").length;
    spec.notes.push(`${display}:${dest.line}: destination_rules are ignored (sobre has no publish command)`);
  }
  const stores = entryOf(top, "stores");
  if (stores) spec.stores = readStores(r, stores.value);
  return spec;
}

function readStores(r: ConfigReader, node: ConfigNode): ConfigSpec["stores"] {
  const map = r.map(node, "stores");
  r.checkKeys(map, ["yaml", "json", "json_binary", "dotenv", "ini"], "stores");
  const out: ConfigSpec["stores"] = {};
  for (const entry of map.entries) {
    if (entry.value.kind === "scalar" && entry.value.value === null) continue;
    const store = r.map(entry.value, `stores.${entry.key}`);
    const allowed = entry.key === "dotenv" || entry.key === "ini" ? [] : ["indent"];
    r.checkKeys(store, allowed, `stores.${entry.key}`);
    const indent = entryOf(store, "indent");
    if (indent) out[entry.key as "yaml" | "json" | "json_binary"] = r.int(indent.value, `stores.${entry.key}.indent`);
  }
  return out;
}

function readRule(r: ConfigReader, node: ConfigNode, index: number): RuleSpec {
  const where = `creation_rules[${index}]`;
  const map = r.map(node, where);
  r.checkKeys(map, RULE_KEYS, where);
  const rule: RuleSpec = {
    index,
    line: map.line,
    pathRegex: undefined,
    flat: { age: [], pgp: [], kms: [], gcp_kms: [], azure_kv: [], hc_vault: [], hckms: [] },
    awsProfile: "",
    keyGroups: undefined,
    shamirThreshold: 0,
    selection: {},
    macOnlyEncrypted: false,
  };
  for (const { key, value, line } of map.entries) {
    const at = `${where}.${key}`;
    if (key === "path_regex") {
      const source = r.string(value, at);
      if (source !== "") rule.pathRegex = { source, regex: compileRegex(r, source, line, at) };
    } else if (key in FLAT_NAMES) {
      rule.flat[FLAT_NAMES[key]!] = r.refs(value, at);
    } else if (key === "aws_profile") rule.awsProfile = r.string(value, at);
    else if (key === "key_groups") rule.keyGroups = r.list(value, at).map((g, i) => readGroup(r, g, `${at}[${i}]`));
    else if (key === "shamir_threshold") rule.shamirThreshold = r.int(value, at);
    else if (key === "mac_only_encrypted") rule.macOnlyEncrypted = r.bool(value, at);
    else {
      const prop = (Object.keys(SELECTION_KEYS) as (keyof SelectionOptions)[]).find((p) => SELECTION_KEYS[p] === key)!;
      const text = r.string(value, at);
      if (text === "") continue;
      if (key.endsWith("_regex")) compileRegex(r, text, line, at);
      rule.selection[prop] = text;
    }
  }
  const selected = Object.keys(rule.selection);
  if (selected.length > 1) {
    r.fail(rule.line, `${where} sets more than one of ${selected.map((p) => SELECTION_KEYS[p as keyof SelectionOptions]).join(", ")}`, "keep only one selection option per rule (SOPS allows one)");
  }
  return rule;
}

function compileRegex(r: ConfigReader, source: string, line: number, where: string): RegExp {
  const result = compileRe2(source);
  if (!result.ok) r.fail(line, `invalid regular expression in ${where}: ${result.error}`, "fix the pattern (Go RE2 syntax: no look-around, no back-references)");
  return result.regex;
}

function readGroup(r: ConfigReader, node: ConfigNode, where: string): GroupSpec {
  const map = r.map(node, where);
  r.checkKeys(map, GROUP_KEYS, where);
  const group: GroupSpec = { line: map.line, merge: [], age: [], pgp: [], kms: [], gcpKms: [], azure: [], vault: [], hckms: [] };
  for (const { key, value } of map.entries) {
    const at = `${where}.${key}`;
    const objects = (allowed: string[]): Extract<ConfigNode, { kind: "map" }>[] =>
      r.list(value, at).map((item, i) => {
        const m = r.map(item, `${at}[${i}]`);
        r.checkKeys(m, allowed, `${at}[${i}]`);
        return m;
      });
    const field = (m: Extract<ConfigNode, { kind: "map" }>, name: string): string => {
      const e = entryOf(m, name);
      return e ? r.string(e.value, `${at}.${name}`) : "";
    };
    switch (key) {
      case "merge":
        group.merge = r.list(value, at).map((g, i) => readGroup(r, g, `${at}[${i}]`));
        break;
      case "age":
        group.age = r.stringList(value, at);
        break;
      case "pgp":
        group.pgp = r.stringList(value, at);
        break;
      case "hc_vault":
        group.vault = r.stringList(value, at);
        break;
      case "kms":
        group.kms = objects(["arn", "role", "context", "aws_profile"]).map((m) => ({
          arn: field(m, "arn"),
          role: field(m, "role"),
          context: readContext(r, m, at),
          awsProfile: field(m, "aws_profile"),
          line: m.line,
        }));
        break;
      case "gcp_kms":
        group.gcpKms = objects(["resource_id"]).map((m) => ({ value: field(m, "resource_id"), line: m.line }));
        break;
      case "azure_keyvault":
        group.azure = objects(["vaultUrl", "key", "version"]).map((m) => ({ vaultUrl: field(m, "vaultUrl"), key: field(m, "key"), version: field(m, "version"), line: m.line }));
        break;
      case "hckms":
        group.hckms = objects(["key_id"]).map((m) => ({ value: field(m, "key_id"), line: m.line }));
        break;
    }
  }
  return group;
}

function readContext(r: ConfigReader, item: Extract<ConfigNode, { kind: "map" }>, at: string): Record<string, string> {
  const e = entryOf(item, "context");
  if (!e || (e.value.kind === "scalar" && e.value.value === null)) return {};
  const map = r.map(e.value, `${at}.context`);
  const out: Record<string, string> = {};
  for (const c of map.entries) out[c.key] = r.string(c.value, `${at}.context.${c.key}`);
  return out;
}
