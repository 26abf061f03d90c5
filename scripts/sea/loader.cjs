"use strict";
// The single executable's main script (kept tiny; the CLI itself is in the blob's assets).
//
// It compiles core.js with the V8 code cache that scripts/sea/train.cjs produced AFTER
// running typical commands at build time, so the functions a run needs are deserialised
// ready to execute instead of being compiled lazily one by one (Node's own `useCodeCache`
// caches only what is compiled before the script runs: little more than the top level).
// lazy.js (cloud SDKs, openpgp, …) is compiled only on the core's first `import()` of one
// of them. A rejected cache (never expected: the blob and the runtime are the same node)
// only costs speed. SOBRE_SEA_TRACE=1 reports cache use on stderr.
//
// Outside a SEA (the build-time trainer requires this file) it exports `createLoader`.
const { Script } = require("node:vm");

/**
 * `readAsset(name)` returns an asset's bytes (ArrayBuffer/Uint8Array) or undefined.
 * Returns { evaluate(name) → { exports, script } , importModule(spec) }.
 */
function createLoader(readAsset, trace) {
  const scripts = {};
  let lazyModules;

  function evaluate(name) {
    const source = Buffer.from(readAsset(`${name}.js`)).toString("latin1");
    const cache = readAsset(`${name}.cache`);
    const cachedData = cache ? new Uint8Array(cache) : undefined;
    const script = new Script(source, { filename: `sobre:${name}.js`, ...(cachedData ? { cachedData } : {}) });
    if (trace) process.stderr.write(`sobre-sea: ${name}.js code cache ${!cachedData ? "absent" : script.cachedDataRejected ? "rejected" : "accepted"}\n`);
    const module = { exports: {} };
    script.runInThisContext()(module.exports, require, module, process.execPath, require("node:path").dirname(process.execPath), importModule);
    scripts[name] = script;
    return { exports: module.exports, script };
  }

  /** The bundles' `import(spec)`: built-ins via require, heavy packages from lazy.js. */
  function importModule(spec) {
    return Promise.resolve().then(() => {
      if (spec.startsWith("node:")) {
        const m = require(spec);
        return Object.assign(Object.create(null), m, { default: m });
      }
      lazyModules ??= evaluate("lazy").exports.modules;
      const load = lazyModules[spec];
      if (!load) throw new Error(`sobre: module ${JSON.stringify(spec)} is not bundled in this executable`);
      return load();
    });
  }

  return { evaluate, importModule, scripts };
}

const VERSION_ARGS = ["--version", "-v", "version"];

/** As directStdoutIO in src/cli/io.ts (the core is not loaded here): straight to fd 1; a closed reader (EPIPE) ends
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

const sea = require("node:sea");
if (sea.isSea()) {
  const readAsset = (name) => {
    try {
      return sea.getRawAsset(name);
    } catch {
      return undefined;
    }
  };
  const argv = process.argv.slice(2);
  // `sobre --version` (as src/cli/run.ts routes it: on the first argument only) prints
  // text that is fixed at build time; the trainer captured it from the core. Skipping the
  // core there saves its deserialisation, ~20 % of that run's instructions.
  const version = VERSION_ARGS.includes(argv[0]) ? readAsset("version.txt") : undefined;
  if (version) writeStdout(Buffer.from(version));
  else {
    const { exports: cli } = createLoader(readAsset, process.env.SOBRE_SEA_TRACE === "1").evaluate("core");
    // As src/cli/main.ts: the only place that sets the exit status.
    cli.run(argv, cli.seaIO()).then(
      (code) => {
        process.exitCode = code;
      },
      () => {
        process.exitCode = 1;
      },
    );
  }
} else {
  module.exports = { createLoader };
}
