import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyContext } from "../../src/keys/types.js";

/**
 * A hermetic KeyContext for key-client tests: only the given env (never the
 * developer's AWS_*, GOOGLE_*, AZURE_*, VAULT_*), a temp home, warnings collected.
 */
export function testKeyContext(env: Record<string, string | undefined> = {}, extra: Partial<KeyContext> = {}): KeyContext & { warnings: string[] } {
  const home = mkdtempSync(join(tmpdir(), "sobre-keys-"));
  const warnings: string[] = [];
  return {
    env: { HOME: home, SOBRE_KMS_TIMEOUT: "5", ...env },
    cwd: home,
    home,
    warn: (m: string) => warnings.push(m),
    cache: new Map(),
    warnings,
    ...extra,
  };
}
