// Builds the CLI into dist/ with esbuild, twice from the same source:
//
// - dist/sobre.cjs: the whole CLI in ONE CommonJS file; this is what bin/sobre.js runs.
//   Each `await import()` of our own code becomes a lazily initialised closure (its
//   top-level code runs only when imported); the packages (cloud SDKs, openpgp,
//   age-encryption, yaml) stay external `import()`s, so `sobre --version` and an age-only
//   decrypt never load them. One file starts much faster than a graph of ~45 ES modules
//   (each costs a resolve, an async read and a compile), and bin/sobre.js keeps V8's code
//   cache for it, so most of its parse/compile work is skipped too. The file is one
//   function expression, Node's CommonJS wrapper plus `__sobreImport`, which bin/sobre.js
//   compiles as read (wrapping it there cost another copy of the text and, with it, a
//   young-generation GC per run). Its first line ends in `// sobre-bundle <sha256 of the
//   code>`, the cache key; the code starts on line 2, as its stack traces say.
// - dist/main.js + dist/chunks/: the same CLI as ES modules with code splitting (the
//   tests use it to see which code a run needs); the build runs it once to capture
//   dist/version.txt, which bin/sobre.js prints for `sobre --version`.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: false,
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist",
  splitting: true,
  format: "esm",
  chunkNames: "chunks/[name]-[hash]",
});

// `import.meta.url` does not exist in CommonJS: point it at the bundle itself (modules
// use it only to create a `require` for built-ins). The banner starts with the
// "use strict" directive, which must stay first for the module code to remain strict.
const bundle = join(root, "dist/sobre.cjs");
// bin/sobre.js checks for exactly this first line.
const BUNDLE_WRAPPER = "(function (exports, require, module, __filename, __dirname, __sobreImport) {";
const cjs = await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: bundle,
  format: "cjs",
  metafile: true,
  // A getter: the URL is built only if a module asks for it (rarely; not at start-up).
  define: { "import.meta.url": "__sobreImportMeta.url" },
  banner: { js: '"use strict";\nvar __sobreImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
});

// Packages (and lazily loaded built-ins) stay `import()`s. On Node 20, code compiled from
// a V8 code cache loses its dynamic-import callback, so the bundle must not call
// `import()` itself: each call becomes `__sobreImport(…)`, which bin/sobre.js passes in
// (it imports from bin/, resolving packages exactly as dist/ would).
const dynamic = new Set(
  Object.values(cjs.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && i.kind === "dynamic-import").map((i) => i.path)),
);
const call = /(?<![\w$.])import\((["'])([^"'\n]+)\1\)/g;
const body = readFileSync(bundle, "utf8").replace(call, (all, _q, spec) => (dynamic.has(spec) ? `__sobreImport(${JSON.stringify(spec)})` : all));
const left = /(?<![\w$.])import\s*\(/.exec(body);
if (left) throw new Error(`dist/sobre.cjs: an import() was not rewritten: …${body.slice(left.index - 60, left.index + 60)}…`);
const hash = createHash("sha256").update(body).digest("hex");
writeFileSync(bundle, `${BUNDLE_WRAPPER} // sobre-bundle ${hash}\n${body}\n})`);

// esbuild escapes non-ASCII text in code (charset "ascii"), but keeps it in the comments it
// preserves. bin/sobre.js decodes an all-ASCII bundle as latin1 (about 1 ms less than
// UTF-8 per run) and falls back to UTF-8 otherwise, so this is a warning, not an error.
const nonAscii = /[^\x00-\x7f]/.exec(body);
if (nonAscii) console.warn(`build: dist/sobre.cjs is not ASCII (…${body.slice(nonAscii.index - 40, nonAscii.index + 20)}…): start-up is slower; use ASCII in comments`);

// `sobre --version` is answered by bin/sobre.js from this text, without loading the CLI.
const version = spawnSync(process.execPath, [join(root, "dist/main.js"), "--version"], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
if (version.status !== 0 || !/^sobre \d/.test(version.stdout)) throw new Error(`dist/main.js --version failed: ${version.stderr || version.stdout}`);
writeFileSync(join(root, "dist/version.txt"), version.stdout);
