"use strict";
// Produces the V8 code caches the single executable's loader uses:
//   node train.cjs DIR   (DIR holds core.js and lazy.js; writes core.cache, lazy.cache
//                         and version.txt)
// MUST run on the base node binary of the executable: a code cache is only accepted by
// the exact V8 build (and flags) that produced it.
//
// core.cache is made AFTER running, in-process, `--version` and a decrypt of a small YAML
// and JSON file, so it carries the bytecode of every function those runs compiled (V8
// otherwise compiles each one lazily on first call: ~40 M more instructions, +25 %, for
// a 20-value decrypt). The identity and the encrypted samples are made by a child process
// (phase 1), so that key generation and encryption, which are not start-up critical,
// stay out of the cache: every byte of it is deserialised by every run (~0.3 ms per
// 100 kB), `--version` included. Encryption shares most of its code with decryption and
// gains as much from this cache. SOBRE_SEA_TRAIN=version,help,decrypt,encrypt picks the
// steps (default: version,decrypt).
// lazy.cache is made right after compiling lazy.js (top level only): the cloud paths are
// dominated by the network, and running the SDKs here would need credentials. A failing
// training step only makes the cache less warm; it is reported on stderr and does not
// fail the build.
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { Script } = require("node:vm");
const { createLoader } = require("./loader.cjs");

// YAML and JSON only: training a format adds its parser and emitter to the cache, which
// every run deserialises; dotenv/INI/TOML are small enough to compile lazily for less
// (measured on 20-value files: training all five formats made a YAML decrypt cost 2.5 %
// more instructions and a dotenv decrypt 1 % less).
const SAMPLES = {
  "t.yaml": "# comment\nservice:\n  user: svc\n  password: \"hunter2\"\n  port: 5432\n  ratio: 0.5\n  enabled: true\n  tags:\n    - a\n    - b: c\nlist: [1, two]\nblock: |\n  multi\n  line\n",
  "t.json": '{"service":{"user":"svc","port":5432,"ratio":0.5,"enabled":true,"none":null,"tags":["a",{"b":"c"}]}}\n',
};

/** Load core.js from DIR exactly as the executable's loader does; returns { cli, scripts }. */
function loadCore(dir) {
  const { evaluate, scripts } = createLoader((name) => {
    // Never start from an old cache: the new one would just copy it.
    if (name.endsWith(".cache")) return undefined;
    try {
      return readFileSync(join(dir, name));
    } catch {
      return undefined;
    }
  }, false);
  return { cli: evaluate("core").exports, scripts };
}

/** Runs sobre commands in-process with an in-memory stdout; failures are collected. */
function runner(cli, work, failures) {
  const io = {
    stdout: [],
    stderr: "",
    readStdin: async () => new Uint8Array(0),
    writeStdout: (d) => io.stdout.push(Buffer.from(d)),
    writeStderr: (t) => (io.stderr += t),
    env: { HOME: work, SOPS_AGE_KEY_FILE: join(work, "key.txt") },
    cwd: work,
    stdinIsTTY: false,
    stderrIsTTY: false,
  };
  return async (args) => {
    io.stdout = [];
    io.stderr = "";
    const code = await cli.run(args, io);
    if (code !== 0) failures.push(`${args.join(" ")}: exit ${code}: ${io.stderr.split("\n")[0]}`);
    return { out: Buffer.concat(io.stdout), err: io.stderr };
  };
}

/** Phase 1, in a child process so that its code stays out of the cache: an identity and encrypted samples. */
async function prepare(dir, work) {
  const failures = [];
  const run = runner(loadCore(dir).cli, work, failures);
  const { err } = await run(["age-keygen", "-o", "key.txt"]);
  const recipient = /age1[0-9a-z]+/.exec(err)?.[0];
  if (!recipient) throw new Error(`age-keygen printed no recipient: ${err}`);
  writeFileSync(join(work, "recipient.txt"), recipient);
  for (const [name, text] of Object.entries(SAMPLES)) {
    writeFileSync(join(work, name), text);
    writeFileSync(join(work, `enc.${name}`), (await run(["encrypt", "--age", recipient, name])).out);
  }
  if (failures.length) throw new Error(failures.join("; "));
}

async function main() {
  const [dir, flag, prepared] = process.argv.slice(2);
  if (flag === "--prepare") return prepare(dir, prepared);

  const work = mkdtempSync(join(tmpdir(), "sobre-sea-train-"));
  const failures = [];
  try {
    const child = spawnSync(process.execPath, [__filename, dir, "--prepare", work], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`preparing the samples failed: ${child.stderr.trim()}`);
    const recipient = readFileSync(join(work, "recipient.txt"), "utf8");
    const { cli, scripts } = loadCore(dir);
    const run = runner(cli, work, failures);
    const steps = (process.env.SOBRE_SEA_TRAIN ?? "version,decrypt").split(",");
    if (steps.includes("version")) await run(["--version"]);
    if (steps.includes("help")) await run(["--help"]);
    for (const name of Object.keys(SAMPLES)) {
      if (steps.includes("decrypt")) await run(["decrypt", `enc.${name}`]);
      if (steps.includes("encrypt")) await run(["encrypt", "--age", recipient, name]);
    }
    writeFileSync(join(dir, "core.cache"), scripts.core.createCachedData());
    // The exact `--version` output, which the loader prints without loading the core.
    writeFileSync(join(dir, "version.txt"), (await run(["--version"])).out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const f of failures) process.stderr.write(`train: ${f}\n`);

  // Compiled, not run (see above).
  const lazySource = readFileSync(join(dir, "lazy.js")).toString("latin1");
  writeFileSync(join(dir, "lazy.cache"), new Script(lazySource, { filename: "sobre:lazy.js" }).createCachedData());
}

main().catch((err) => {
  process.stderr.write(`train: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
