// Bundles the CLI into ONE CommonJS file for a single executable application.
//
// A SEA main script can only `require()` Node built-ins, so everything is bundled. esbuild
// turns each lazily `await import()`ed module (commands, key sources, cloud SDKs) into a
// wrapped module (`__esm`/`__commonJS` closure) that is only evaluated when first imported:
// the bytes are in the binary, but startup does not run them.
import { build } from "esbuild";

/**
 * `import.meta.url` does not exist in CommonJS; esbuild would leave `{}.url` (undefined)
 * and break packages that call `createRequire(import.meta.url)` (openpgp) or
 * `fileURLToPath(import.meta.url)` (open, used by @azure/identity) when they are
 * initialised. Point it at the executable instead: built-ins resolve from anywhere, and
 * no bundled module needs files beside it.
 */
const BANNER = [
  // The directive must come first, or the banner's `var` would turn strict mode off.
  '"use strict";',
  "var __sobreImportMetaUrl = require(\"node:url\").pathToFileURL(",
  "  typeof __filename === \"string\" && __filename ? __filename : process.execPath).href;",
].join("\n");

/**
 * Bundle `src/cli/main.ts` (relative to `root`) into `outfile`.
 * `target` is the esbuild target of the base binary, e.g. "node22".
 * Returns the esbuild metafile (for size reports).
 */
export async function bundleForSea({ root, outfile, target, minify = true }) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["src/cli/main.ts"],
    outfile,
    bundle: true,
    format: "cjs",
    platform: "node",
    target,
    // Whitespace/syntax minification and short local names cut parse time and size;
    // keepNames preserves `fn.name`/`class.name`, which some SDKs use for error types.
    minify,
    keepNames: true,
    legalComments: "none",
    sourcemap: false,
    metafile: true,
    logLevel: "warning",
    define: { "import.meta.url": "__sobreImportMetaUrl" },
    banner: { js: BANNER },
    // Text assets, if a module ever imports one (e.g. a .proto), are embedded as strings.
    loader: { ".proto": "text" },
  });
  return result.metafile;
}
