// Bundles the CLI for a single executable application, as TWO scripts that the SEA
// loader (scripts/sea/loader.cjs) compiles from the blob's assets:
//
// - core.js: our code (src/) plus the small packages on everyday paths (yaml, age). It is
//   what every run compiles, so it is kept small (well under 1 MB): V8 then deserialises
//   a trained code cache for it in a millisecond or two (scripts/sea/train.cjs).
// - lazy.js: the heavy packages (cloud SDKs, gRPC, openpgp, prompts; ~5 MB). The core
//   reaches them only through `import()`, rewritten to `__sobreImport(…)`; the loader
//   compiles lazy.js on the first such call. `sobre --version` and an age decrypt never
//   parse a byte of it (one 5 MB script cost ~14 ms per start even with a code cache).
//
// Both are CommonJS function bodies wrapped as
// `(function (exports, require, module, __filename, __dirname, __sobreImport) { … })`.
import { build } from "esbuild";
import { builtinModules } from "node:module";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Packages bundled into the core: small, and needed by common commands (config, age, ssh keys). */
export const CORE_PACKAGES = ["yaml", "age-encryption", "bcrypt-pbkdf"];

/** The loader passes these, in this order, to both wrapped scripts. */
export const WRAPPER_PARAMS = ["exports", "require", "module", "__filename", "__dirname", "__sobreImport"];

/**
 * `import.meta.url` does not exist in CommonJS; esbuild would leave `{}.url` (undefined)
 * and break packages that call `createRequire(import.meta.url)` (openpgp, our worker
 * start-up) or `fileURLToPath(import.meta.url)` (open, used by @azure/identity). Point it
 * at the executable: built-ins resolve from anywhere, and no bundled module needs files
 * beside it. The directive must come first, or the `var` would turn strict mode off.
 */
const BANNER = '"use strict";\nvar __sobreImportMetaUrl = require("node:url").pathToFileURL(__filename).href;';

const isBuiltin = (spec) => spec.startsWith("node:") || builtinModules.includes(spec);
const packageName = (spec) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

/** esbuild plugin: bare imports made by OUR code (not by packages) stay external, except CORE_PACKAGES. */
const heavyPackagesExternal = {
  name: "sobre-heavy-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      if (CORE_PACKAGES.includes(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

function common(root, target, minify) {
  return {
    absWorkingDir: root,
    bundle: true,
    write: false,
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
  };
}

/**
 * Replace every `import("spec")` of an external module by `__sobreImport("spec")`: code
 * compiled with vm.Script from a code cache has no dynamic-import callback. Throws if an
 * `import(` is left (a computed specifier would silently break at run time).
 */
function rewriteImports(text, specs, name) {
  const call = /(?<![\w$.])import\((["'])([^"'\n]+)\1\)/g;
  const body = text.replace(call, (all, _q, spec) => (specs.has(spec) ? `__sobreImport(${JSON.stringify(spec)})` : all));
  const left = /(?<![\w$.])import\s*\(/.exec(body);
  if (left) throw new Error(`${name}: an import() was not rewritten: …${body.slice(left.index - 60, left.index + 60)}…`);
  return body;
}

function externalImports(metafile) {
  return Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external));
}

const wrap = (body) => `(function (${WRAPPER_PARAMS.join(", ")}) {${body}\n})`;

/**
 * Bundle into `outDir`/core.js and `outDir`/lazy.js. `target` is the esbuild target of
 * the base binary, e.g. "node22". Returns { core, lazy, heavy } (paths, heavy package names).
 */
export async function bundleForSea({ root, outDir, target, minify = true }) {
  const core = await build({
    ...common(root, target, minify),
    // src/cli/sea-main.ts exports `run` and `seaIO` and runs nothing: the loader calls
    // them like src/cli/main.ts does, and the trainer calls `run` with an in-memory IO.
    entryPoints: ["src/cli/sea-main.ts"],
    outfile: join(outDir, "core.js"),
    plugins: [heavyPackagesExternal],
    // Without keepNames: its `__name(fn, "…")` calls (an Object.defineProperty per
    // function, at each module's initialisation) cost ~2.5 M instructions per decrypt, and
    // neither our code nor yaml/age-encryption/bcrypt-pbkdf reads function or class names.
    keepNames: false,
  });
  const coreExternals = externalImports(core.metafile);
  const eager = coreExternals.filter((i) => i.kind !== "dynamic-import" && !isBuiltin(i.path));
  if (eager.length) throw new Error(`core bundle: packages must be imported lazily (import()), found: ${eager.map((i) => i.path).join(", ")}`);
  const heavy = [...new Set(coreExternals.filter((i) => !isBuiltin(i.path)).map((i) => i.path))].sort();
  const coreDynamic = new Set(coreExternals.filter((i) => i.kind === "dynamic-import").map((i) => i.path));

  // One lazy bundle for all heavy packages, so the ones that share dependencies and pass
  // objects to each other (google-auth-library → @google-cloud/kms, grpc-js credentials)
  // share ONE copy; each package is still evaluated only when first imported.
  const lazy = await build({
    ...common(root, target, minify),
    stdin: {
      contents: `export const modules = {\n${heavy.map((p) => `  ${JSON.stringify(p)}: () => import(${JSON.stringify(p)}),`).join("\n")}\n};\n`,
      resolveDir: root,
      sourcefile: "sea-lazy.js",
      loader: "js",
    },
    outfile: join(outDir, "lazy.js"),
  });
  const lazyDynamic = new Set(externalImports(lazy.metafile).filter((i) => i.kind === "dynamic-import").map((i) => i.path));

  const corePath = join(outDir, "core.js");
  const lazyPath = join(outDir, "lazy.js");
  writeFileSync(corePath, wrap(rewriteImports(core.outputFiles[0].text, coreDynamic, "core.js")));
  writeFileSync(lazyPath, wrap(rewriteImports(lazy.outputFiles[0].text, lazyDynamic, "lazy.js")));
  return { core: corePath, lazy: lazyPath, heavy };
}
