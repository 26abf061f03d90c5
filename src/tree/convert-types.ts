import type { MapNode, Node } from "./types.js";

const LOCAL_TYPES = new Set(["datetime_local", "date_local", "time_local"]);

/**
 * TOML's local date-time, date and time have no type in YAML, JSON, dotenv or INI (nor in
 * SOPS's ENC types), so converting out of TOML turns them into strings holding the TOML
 * text — no value is lost, and the output stays readable by SOPS. Returns the paths
 * converted, so the caller can say so.
 */
export function lowerLocalTimes(documents: MapNode[]): string[] {
  const converted: string[] = [];
  const visit = (node: Node, path: string): void => {
    if (node.kind === "leaf") {
      const v = node.value;
      if (LOCAL_TYPES.has(v.type) && "value" in v && typeof v.value === "string") {
        node.value = { type: "str", value: v.value };
        converted.push(path || "(root)");
      }
      return;
    }
    if (node.kind === "seq") {
      node.items.forEach((item, i) => item.kind !== "comment" && visit(item, `${path}[${i}]`));
      return;
    }
    for (const item of node.items) if (item.kind === "entry") visit(item.value, path ? `${path}.${item.key}` : item.key);
  };
  for (const doc of documents) visit(doc, "");
  return converted;
}
