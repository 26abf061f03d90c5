import { ConfigError } from "../errors.js";
import { kindName, type ConfigEntry, type ConfigNode } from "./config-yaml.js";

/** Helpers that read a positioned config node or fail naming `file:line`. */
export class ConfigReader {
  constructor(readonly display: string) {}

  fail(line: number, message: string, hint = "see .sops-like.yaml.example for every option"): never {
    throw new ConfigError(`${this.display}:${line}: ${message}`, { hint });
  }

  /** Reject keys not in `allowed`, suggesting the closest known one (typos). */
  checkKeys(node: Extract<ConfigNode, { kind: "map" }>, allowed: readonly string[], where: string): void {
    for (const entry of node.entries) {
      if (allowed.includes(entry.key)) continue;
      const close = closest(entry.key, allowed);
      this.fail(
        entry.line,
        `unknown key ${JSON.stringify(entry.key)} in ${where}`,
        close ? `did you mean ${JSON.stringify(close)}? (known keys: ${allowed.join(", ")})` : `known keys: ${allowed.join(", ")}`,
      );
    }
  }

  map(node: ConfigNode, where: string): Extract<ConfigNode, { kind: "map" }> {
    if (node.kind !== "map") this.fail(node.line, `${where} must be a mapping, got ${kindName(node)}`);
    return node;
  }

  /** A list; an empty value counts as an empty list (YAML `key:` with nothing after). */
  list(node: ConfigNode, where: string): ConfigNode[] {
    if (node.kind === "scalar" && node.value === null) return [];
    if (node.kind !== "seq") this.fail(node.line, `${where} must be a list, got ${kindName(node)}`);
    return node.items;
  }

  string(node: ConfigNode, where: string): string {
    if (node.kind !== "scalar") this.fail(node.line, `${where} must be a string, got ${kindName(node)}`);
    if (node.value === null) return "";
    if (typeof node.value === "boolean") this.fail(node.line, `${where} must be a string, got a boolean`, "quote the value");
    return String(node.value);
  }

  int(node: ConfigNode, where: string): number {
    if (node.kind === "scalar" && node.value === null) return 0;
    if (node.kind !== "scalar" || typeof node.value !== "number" || !Number.isInteger(node.value) || node.value < 0) {
      this.fail(node.line, `${where} must be a non-negative integer, got ${kindName(node)}`);
    }
    return node.value;
  }

  bool(node: ConfigNode, where: string): boolean {
    if (node.kind === "scalar" && node.value === null) return false;
    if (node.kind !== "scalar" || typeof node.value !== "boolean") this.fail(node.line, `${where} must be true or false, got ${kindName(node)}`);
    return node.value;
  }

  /** SOPS's "string or list of strings" key fields; a string is split on commas. */
  refs(node: ConfigNode, where: string): { value: string; line: number }[] {
    if (node.kind === "scalar") {
      const text = this.string(node, where);
      return text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map((value) => ({ value, line: node.line }));
    }
    return this.stringList(node, where);
  }

  /** A strict list of strings (what SOPS accepts inside key_groups). */
  stringList(node: ConfigNode, where: string): { value: string; line: number }[] {
    return this.list(node, where).map((item, i) => {
      if (item.kind !== "scalar" || typeof item.value !== "string") this.fail(item.line, `${where}[${i}] must be a string, got ${kindName(item)}`);
      return { value: item.value.trim(), line: item.line };
    });
  }
}

/** Find an entry by key. */
export function entryOf(node: Extract<ConfigNode, { kind: "map" }>, key: string): ConfigEntry | undefined {
  return node.entries.find((e) => e.key === key);
}

/** Closest allowed key by edit distance, when close enough to be a typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
