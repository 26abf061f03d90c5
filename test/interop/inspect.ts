/** Reading encrypted files independently of sobre (plain parsers), to compare what each tool encrypted. */
import { parse as parseYaml } from "yaml";
import type { InteropFormat } from "./cross.js";

/** Path → "enc" | "clear" for every leaf outside `sops` (dotenv/INI: flat keys). */
export function leafStates(format: InteropFormat, bytes: Buffer): Record<string, "enc" | "clear"> {
  const text = bytes.toString("utf8");
  const out: Record<string, "enc" | "clear"> = {};
  const mark = (path: string, v: unknown): void => {
    out[path] = typeof v === "string" && v.startsWith("ENC[AES256_GCM,") ? "enc" : "clear";
  };
  if (format === "dotenv" || format === "ini") {
    let section = "";
    for (const line of text.split("\n")) {
      const sec = /^\[(.*)\]$/.exec(line.trim());
      if (sec) section = sec[1]!;
      const m = /^([^#;=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
      if (!m || m[1]!.startsWith("sops_") || section === "sops") continue;
      mark(section ? `${section}.${m[1]}` : m[1]!, m[2]);
    }
    return out;
  }
  const doc = (format === "json" ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else mark(path, v);
  };
  for (const [k, v] of Object.entries(doc)) if (k !== "sops") walk(v, k);
  return out;
}

/** The `sops` metadata block as plain data (flat formats: `sops_*` keys). */
export function sopsMetadata(format: InteropFormat, bytes: Buffer): Record<string, unknown> {
  const text = bytes.toString("utf8");
  if (format === "json" || format === "binary") return (JSON.parse(text) as { sops: Record<string, unknown> }).sops;
  if (format === "yaml") return (parseYaml(text) as { sops: Record<string, unknown> }).sops;
  const out: Record<string, unknown> = {};
  let inSops = format === "dotenv";
  for (const line of text.split("\n")) {
    if (format === "ini" && /^\[.*\]$/.test(line.trim())) inSops = line.trim() === "[sops]";
    const m = /^(sops_)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m || !inSops || (format === "dotenv" && !m[1])) continue;
    out[m[2]!] = m[3];
  }
  return out;
}
