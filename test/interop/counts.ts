/**
 * Interop case counting: every verified case appends one line to a file in the
 * directory global-setup.ts provides; its teardown prints the totals.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    interopCountDir: string;
  }
}

/** Categories printed in the totals. */
export type CaseKind = "sobre→sops" | "sops→sobre" | "lifecycle" | "keyservice" | "random";

/** Record `n` verified interop cases of `kind` (call after the assertions passed). */
export function countCase(kind: CaseKind, n = 1): void {
  const dir = inject("interopCountDir");
  if (dir) appendFileSync(join(dir, "cases.tsv"), `${kind}\t${n}\n`);
}
