#!/usr/bin/env node
// Start-up is most of a small run's cost, so this loader is kept lean.
//
// dist/sobre.cjs is the whole CLI in one CommonJS file (scripts/build.mjs). It is compiled
// here with V8's code cache, kept per bundle hash, command and Node version in
// $XDG_CACHE_HOME/sobre (mode 0700), so later runs skip most of the parsing and compiling.
// Per command, because a cache holds what the run that wrote it compiled: a decrypt
// started from an encrypt's cache compiles its own functions again on every run.
// The cache holds bytecode: it is only read from a directory and a file that this user
// owns and nobody else can write. NODE_DISABLE_COMPILE_CACHE=1 turns it off. The bundle's
// `import()`s of packages arrive here as `__sobreImport` (scripts/build.mjs says why).
//
// `sobre --version` prints text fixed at build time (dist/version.txt, captured by
// scripts/build.mjs from the CLI itself), as the single executable does: loading even the
// router costs more than the rest of that run.
//
// This file is CommonJS (bin/package.json): an ES-module entry costs a decrypt ~4 ms
// before any sobre code runs (the ESM loader, fs/promises to read the entry, and
// namespace facades for the built-ins, node:fs's pulling in all of node:stream).

const STALE_MS = 30 * 24 * 3600 * 1000;

function runBundle() {
  const fs = require("node:fs");
  const { dirname, join } = require("node:path");
  const vm = require("node:vm");
  const bundle = join(__dirname, "../dist/sobre.cjs");

  /** $XDG_CACHE_HOME/sobre, else ~/.cache/sobre; none where ownership cannot be checked. */
  const cacheDir = (env) => {
    if (env.NODE_DISABLE_COMPILE_CACHE || typeof process.getuid !== "function") return undefined;
    const xdg = env.XDG_CACHE_HOME;
    if (xdg && xdg.startsWith("/")) return join(xdg, "sobre");
    return env.HOME ? join(env.HOME, ".cache", "sobre") : undefined;
  };

  /** Owned by this user, not a symlink, and not writable by group or others. */
  const isPrivate = (path, dir) => {
    const st = fs.lstatSync(path, { throwIfNoEntry: false });
    return !!st && (dir ? st.isDirectory() : st.isFile()) && st.uid === process.getuid() && (st.mode & 0o022) === 0;
  };

  /** Write the code cache atomically; drop entries nobody has written for a month. */
  const writeCache = (dir, file, script) => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!isPrivate(dir, true)) return;
      const now = Date.now();
      for (const name of fs.readdirSync(dir)) {
        const path = join(dir, name);
        if (name.endsWith(".v8") && path !== file && now - fs.statSync(path).mtimeMs > STALE_MS) fs.unlinkSync(path);
      }
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600, flag: "wx" });
      fs.renameSync(tmp, file);
    } catch {
      // The cache is an optimisation only.
    }
  };

  // An ASCII bundle (the build makes it so) is decoded as latin1: half the cost of UTF-8.
  const bytes = fs.readFileSync(bundle);
  const text = require("node:buffer").isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  // The bundle is Node's CommonJS wrapper plus `__sobreImport`, written by the build.
  const key = /^\(function \(exports, require, module, __filename, __dirname, __sobreImport\) \{ \/\/ sobre-bundle ([0-9a-f]{64})\n/.exec(text)?.[1];
  if (!key) throw new Error(`sobre: ${bundle} is not a bundle made by scripts/build.mjs; run \`npm run build\``);
  const dir = cacheDir(process.env);
  const arg = process.argv[2] ?? "";
  const command = /^[a-z][a-z-]{0,23}$/.test(arg) ? arg : "cli";
  const file = dir && join(dir, `${key.slice(0, 32)}-${command}-${process.version}-${process.arch}.v8`);
  let cachedData;
  try {
    if (file && isPrivate(dir, true) && isPrivate(file, false)) cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(text, { filename: bundle, cachedData });
  // Written at exit, so the functions this run compiled lazily are in the cache too; only
  // after a successful run that did the command's work: an accepted cache is never
  // rewritten, and one from a run that stopped early (a usage error, a missing file,
  // `--help`) would leave every later run compiling most of its functions again.
  const fullRun = !process.argv.slice(3).some((a) => a === "--help" || a === "-h");
  if (file && fullRun && (!cachedData || script.cachedDataRejected)) {
    process.once("exit", (code) => {
      if (code === 0) writeCache(dir, file, script);
    });
  }
  const mod = { exports: {}, filename: bundle, loaded: false };
  const load = (specifier) => import(specifier);
  // The bundle requires built-ins only (packages are `import()`s), so this file's own
  // `require` serves it; module.createRequire would cost ~0.4 ms.
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, dirname(bundle), load);
}

/** The version text, or undefined (an older build without it: the CLI answers). */
function versionText() {
  try {
    return require("node:fs").readFileSync(`${__dirname}/../dist/version.txt`);
  } catch {
    return undefined;
  }
}

/** As directStdoutIO in src/cli/io.ts: straight to fd 1; a closed reader (EPIPE) ends
 * output quietly, and the stream takes over on any other failure, reporting its own errors. */
function writeStdout(bytes) {
  let done = 0;
  try {
    while (done < bytes.length) done += require("node:fs").writeSync(1, bytes, done, bytes.length - done);
  } catch (err) {
    if (err.code === "EPIPE") return;
    process.stdout.on("error", (e) => {
      if (e.code === "EPIPE") return;
      process.stderr.write(`sobre: cannot write to standard output (${e.code ?? e.message})\n`);
      process.exitCode = 1;
    });
    process.stdout.write(bytes.subarray(done));
  }
}

// As src/cli/run.ts routes it: on the first argument only.
const version = /^(-v|--version|version)$/.test(process.argv[2] ?? "") ? versionText() : undefined;
if (version) writeStdout(version);
else runBundle();
