import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { INTEROP_FIXTURES } from "./paths.js";

/** One real SOPS file from ../shared/fixtures/sops-interop, as described by its MANIFEST. */
export interface InteropFixture {
  /** Path relative to the fixtures folder. */
  file: string;
  format: "yaml" | "json" | "dotenv" | "ini" | "binary";
  keyTypes: ("age" | "pgp")[];
  /** Absolute paths of the key files that decrypt it. */
  keyFiles: string[];
  /** Absolute path of the expected `.values.json`, when one exists. */
  valuesFile?: string;
  negative: boolean;
  row: string;
}

const GENERATED_KEY = "getsops-sops/keys/sops_functional_tests_key.asc";

/** Parse MANIFEST.md's tables into fixtures (rows whose first cell names an existing file). */
export function loadInteropFixtures(): InteropFixture[] {
  const manifest = readFileSync(join(INTEROP_FIXTURES, "MANIFEST.md"), "utf8");
  const out: InteropFixture[] = [];
  for (const row of manifest.split("\n")) {
    const m = /^\| `([^`]+)` \| (yaml|json|dotenv|ini|binary) \|/.exec(row);
    if (!m) continue;
    const file = m[1]!;
    if (!existsSync(join(INTEROP_FIXTURES, file))) continue;
    const dir = dirname(file);
    const keyFiles = [...new Set([...row.matchAll(/([\w.-]+(?:\/[\w.-]+)*\/keys?(?:\/[\w.-]+)?\.(?:asc|txt))/g)].map((k) => k[1]!))];
    if (file.startsWith("generated-sops-3.3.1/")) keyFiles.push(GENERATED_KEY);
    const valuesName = /([\w.-]+\.values\.json)/.exec(row)?.[1];
    const valuesFile = valuesName ? join(INTEROP_FIXTURES, dir, valuesName) : undefined;
    const keyTypes: ("age" | "pgp")[] = [];
    const typesCell = row.split("|")[3] ?? "";
    if (/age/.test(typesCell)) keyTypes.push("age");
    if (/pgp|-p FBC7|--/.test(typesCell) || file.startsWith("generated-sops-3.3.1/")) keyTypes.push("pgp");
    out.push({
      file,
      format: m[2] as InteropFixture["format"],
      keyTypes,
      keyFiles: keyFiles.map((k) => join(INTEROP_FIXTURES, k)).filter((k) => existsSync(k)),
      ...(valuesFile && existsSync(valuesFile) ? { valuesFile } : {}),
      negative: row.includes("NEGATIVE"),
      row,
    });
  }
  return out;
}
