import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/** Provide a directory for case counts; print the totals when the run ends. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "sobre-interop-counts-"));
  project.provide("interopCountDir", dir);
  return () => {
    const file = join(dir, "cases.tsv");
    const totals = new Map<string, number>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        const [kind, n] = line.split("\t");
        if (kind && n) totals.set(kind, (totals.get(kind) ?? 0) + Number(n));
      }
    }
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    const parts = [...totals.entries()].map(([k, n]) => `${k}: ${n}`).join(", ");
    console.log(`\ninterop cases verified against the real peers: ${all}${parts ? ` (${parts})` : ""}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
