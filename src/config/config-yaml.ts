import { ConfigError } from "../errors.js";

/**
 * A `.sops.yaml` parsed into a tiny positioned tree, so validation can name the exact
 * line of a bad option. The `yaml` package is imported lazily: only commands that
 * create or re-key files read the config.
 */
export type ConfigNode =
  | { kind: "map"; line: number; entries: ConfigEntry[] }
  | { kind: "seq"; line: number; items: ConfigNode[] }
  | { kind: "scalar"; line: number; value: string | number | boolean | null };

export interface ConfigEntry {
  key: string;
  line: number;
  value: ConfigNode;
}

/** Parse config text. `display` names the file in messages (`.sops.yaml:3: …`). */
export async function parseConfigYaml(text: string, display: string): Promise<ConfigNode> {
  const { LineCounter, parseDocument, isMap, isSeq, isScalar, isAlias, isPair } = await import("yaml");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, merge: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = counter.linePos(firstError.pos[0]).line;
    throw new ConfigError(`${display}:${line}: invalid YAML: ${firstError.message.split("\n")[0]}`, {
      hint: "fix the YAML syntax (indentation, quotes, colons)",
    });
  }
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? counter.linePos(range[0]).line : 1;
  };
  const convert = (node: unknown): ConfigNode => {
    if (node === null || node === undefined) return { kind: "scalar", line: 1, value: null };
    if (isAlias(node)) {
      throw new ConfigError(`${display}:${lineOf(node)}: YAML aliases are not supported in the config file`, { hint: "write the value out instead of using *alias" });
    }
    if (isMap(node)) {
      const entries: ConfigEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const value = pair.value === null ? { kind: "scalar" as const, line: lineOf(keyNode), value: null } : convert(pair.value);
        entries.push({ key, line: lineOf(keyNode), value });
      }
      return { kind: "map", line: lineOf(node), entries };
    }
    if (isSeq(node)) return { kind: "seq", line: lineOf(node), items: node.items.map(convert) };
    if (isScalar(node)) {
      const v = node.value;
      const value = typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null ? v : typeof v === "bigint" ? Number(v) : String(v);
      return { kind: "scalar", line: lineOf(node), value };
    }
    return { kind: "scalar", line: lineOf(node), value: null };
  };
  return convert(doc.contents);
}

/** Describe a node's kind for messages. */
export function kindName(node: ConfigNode): string {
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  if (node.value === null) return "empty";
  return `a ${typeof node.value}`;
}
