import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";

/** One `pgp` entry of one interop fixture: where it came from and its on-disk fields. */
export interface FixturePgpEntry {
  file: string;
  /** `pgp[0]`, `key_groups[1].pgp[0]`, `doc1 pgp[0]`… for test names. */
  where: string;
  fp: string;
  enc: string;
  /** True when the file uses Shamir key groups (the enc holds a 33-byte share). */
  shamir: boolean;
}

/** PGP-keyed fixtures with their format, read from MANIFEST.md so new fixtures are picked up. */
export function listPgpFixtures(): { file: string; format: string }[] {
  const manifest = readFileSync(join(INTEROP_FIXTURES, "MANIFEST.md"), "utf8");
  const rows: { file: string; format: string }[] = [];
  for (const line of manifest.split("\n")) {
    const m = /^\| `([^`]+)` \| (\w+) \| ([^|]*)\|/.exec(line);
    if (!m) continue;
    const [, file, format, keys] = m as unknown as [string, string, string, string];
    // generated-sops-3.3.1 rows list encrypt options instead of key types; all of them are PGP.
    if (/pgp/.test(keys) || file.startsWith("generated-sops-3.3.1/")) rows.push({ file, format });
  }
  return rows;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fromSopsObject(file: string, sops: Json, prefix: string, out: FixturePgpEntry[]): void {
  if (!sops || typeof sops !== "object" || Array.isArray(sops)) return;
  const take = (list: Json | undefined, where: string, shamir: boolean): void => {
    if (!Array.isArray(list)) return;
    list.forEach((e, i) => {
      if (e && typeof e === "object" && !Array.isArray(e) && typeof e.enc === "string") {
        out.push({ file, where: `${prefix}${where}[${i}]`, fp: String(e.fp), enc: e.enc, shamir });
      }
    });
  };
  take(sops.pgp, "pgp", false);
  const groups = sops.key_groups;
  if (Array.isArray(groups)) {
    groups.forEach((g, gi) => {
      if (g && typeof g === "object" && !Array.isArray(g)) take(g.pgp, `key_groups[${gi}].pgp`, true);
    });
  }
}

/** Flat `a__list_0__map_b` keys (dotenv, INI) → the same entries. */
function fromFlat(file: string, flat: Map<string, string>, out: FixturePgpEntry[]): void {
  const found = new Map<string, { fp?: string; enc?: string; shamir: boolean }>();
  for (const [key, value] of flat) {
    const m = /^(?:key_groups__list_(\d+)__map_)?pgp__list_(\d+)__map_(enc|fp)$/.exec(key);
    if (!m) continue;
    const where = m[1] === undefined ? `pgp[${m[2]}]` : `key_groups[${m[1]}].pgp[${m[2]}]`;
    const entry = found.get(where) ?? { shamir: m[1] !== undefined };
    entry[m[3] as "enc" | "fp"] = value;
    found.set(where, entry);
  }
  for (const [where, e] of found) {
    if (e.enc !== undefined) out.push({ file, where, fp: e.fp ?? "", enc: e.enc, shamir: e.shamir });
  }
}

const unescapeNewlines = (s: string): string => s.replace(/\\n/g, "\n");

function parseIniSops(text: string): Map<string, string> {
  const flat = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  let inSops = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const section = /^\s*\[(.*)\]\s*$/.exec(line);
    if (section) {
      inSops = section[1] === "sops";
      continue;
    }
    const kv = /^\s*([^=;#]+?)\s*=\s*(.*)$/.exec(line);
    if (!inSops || !kv) continue;
    let value = kv[2] ?? "";
    if (value.startsWith('"""')) {
      // 3.13 writes multi-line values between triple quotes.
      const parts = [value.slice(3)];
      while (!parts[parts.length - 1]!.endsWith('"""') && i + 1 < lines.length) parts.push(lines[++i] ?? "");
      value = parts.join("\n").slice(0, -3);
    } else value = unescapeNewlines(value);
    flat.set(kv[1] ?? "", value);
  }
  return flat;
}

/** All `pgp` entries of one fixture file. */
export function readPgpEntries(file: string, format: string): FixturePgpEntry[] {
  const text = readFileSync(join(INTEROP_FIXTURES, file), "utf8");
  const out: FixturePgpEntry[] = [];
  switch (format) {
    case "yaml": {
      const docs = parseAllDocuments(text);
      const list = Array.isArray(docs) ? docs : [docs];
      list.forEach((doc, i) => {
        const js = doc.toJS() as { sops?: Json } | null;
        fromSopsObject(file, js?.sops ?? null, list.length > 1 ? `doc${i} ` : "", out);
      });
      break;
    }
    case "json":
    case "binary":
      fromSopsObject(file, (JSON.parse(text) as { sops?: Json }).sops ?? null, "", out);
      break;
    case "dotenv": {
      const flat = new Map<string, string>();
      for (const line of text.split(/\r?\n/)) {
        const m = /^sops_([^=]+)=(.*)$/.exec(line);
        if (m) flat.set(m[1] ?? "", unescapeNewlines(m[2] ?? ""));
      }
      fromFlat(file, flat, out);
      break;
    }
    case "ini":
      fromFlat(file, parseIniSops(text), out);
      break;
    default:
      throw new Error(`unknown fixture format ${format}`);
  }
  return out;
}
