import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A module-tracing preload for `node --import`: every module the ESM loader loads, and
 * at exit every CommonJS module in the require cache, is appended to
 * `$SOBRE_TRACE_FILE`. Writes two files into `dir`; returns the `--import` URL.
 */
export function writeTracePreload(dir: string): string {
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.SOBRE_TRACE_FILE, url + "\\n");
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(dir, "register.mjs"),
    `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(new URL("./hooks.mjs", import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => appendFileSync(process.env.SOBRE_TRACE_FILE, Object.keys(cache).map((f) => "cjs:" + f + "\\n").join("")));
`,
  );
  return pathToFileURL(join(dir, "register.mjs")).href;
}
