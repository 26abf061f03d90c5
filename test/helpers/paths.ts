import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Project root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared material beside the project (`../shared`): spec, fixtures, conformance suites. */
export const SHARED = resolve(ROOT, "../shared");
export const INTEROP_FIXTURES = resolve(SHARED, "fixtures/sops-interop");
export const CONFORMANCE = resolve(SHARED, "conformance");
/** The built CLI entry point (tests run `npm run build` first via `npm test`). */
export const BIN = resolve(ROOT, "bin/sobre.js");
