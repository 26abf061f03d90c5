"use strict";
// Produces the V8 code caches the single executable's loader uses:
//   node train.cjs DIR   (DIR holds core.js and lazy.js; writes core.cache and lazy.cache)
// MUST run on the base node binary of the executable: a code cache is only accepted by
// the exact V8 build (and flags) that produced it.
//
// core.cache is made AFTER running typical commands in-process (version, help, age key
// generation, encrypt/decrypt/filestatus in each format), so it carries the bytecode of
// every function those runs compiled. lazy.cache is made right after compiling lazy.js
// (top level only): the cloud paths are dominated by the network, and running the SDKs
// here would need credentials. A failing training step only makes the cache less warm;
// it is reported on stderr and does not fail the build.
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { createLoader } = require("./loader.cjs");

const SAMPLES = {
  "t.yaml": "# comment\nservice:\n  user: svc\n  password: \"hunter2\"\n  port: 5432\n  ratio: 0.5\n  enabled: true\n  tags:\n    - a\n    - b: c\nlist: [1, two]\nblock: |\n  multi\n  line\n",
  "t.json": '{"service":{"user":"svc","port":5432,"ratio":0.5,"enabled":true,"none":null,"tags":["a",{"b":"c"}]}}\n',
  "t.env": "# comment\nUSER=svc\nPASSWORD=hunter2\nEMPTY=\n",
  "t.toml": '# comment\ntitle = "x"\n[service]\nuser = "svc"\nport = 5432\nratio = 0.5\nenabled = true\ntags = ["a", "b"]\n',
  "t.ini": "; comment\n[service]\nuser = svc\npassword = hunter2\n",
};

async function main() {
  const dir = process.argv[2];
  const { evaluate, scripts } = createLoader((name) => {
    try {
      return readFileSync(join(dir, name));
    } catch {
      return undefined;
    }
  }, false);
  const { exports: cli } = evaluate("core");

  const work = mkdtempSync(join(tmpdir(), "sobre-sea-train-"));
  const failures = [];
  try {
    let stdout = [];
    let stderr = "";
    const io = {
      readStdin: async () => new Uint8Array(0),
      writeStdout: (d) => stdout.push(Buffer.from(d)),
      writeStderr: (t) => (stderr += t),
      env: { HOME: work, SOPS_AGE_KEY_FILE: join(work, "key.txt") },
      cwd: work,
      stdinIsTTY: false,
      stderrIsTTY: false,
    };
    const run = async (args) => {
      stdout = [];
      stderr = "";
      const code = await cli.run(args, io);
      if (code !== 0) failures.push(`${args.join(" ")}: exit ${code}: ${stderr.split("\n")[0]}`);
      return Buffer.concat(stdout);
    };
    await run(["--version"]);
    await run(["--help"]);
    await run(["age-keygen", "-o", "key.txt"]);
    const recipient = /age1[0-9a-z]+/.exec(stderr)?.[0];
    if (!recipient) throw new Error(`age-keygen printed no recipient: ${stderr}`);
    for (const [name, text] of Object.entries(SAMPLES)) {
      writeFileSync(join(work, name), text);
      const enc = await run(["encrypt", "--age", recipient, name]);
      writeFileSync(join(work, `enc.${name}`), enc);
      await run(["decrypt", `enc.${name}`]);
      await run(["filestatus", `enc.${name}`]);
    }
  } catch (err) {
    failures.push(String(err?.message ?? err));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const f of failures) process.stderr.write(`train: ${f}\n`);

  writeFileSync(join(dir, "core.cache"), scripts.core.createCachedData());
  // Compiled, not run (see above).
  const { Script } = require("node:vm");
  const lazySource = readFileSync(join(dir, "lazy.js")).toString("latin1");
  writeFileSync(join(dir, "lazy.cache"), new Script(lazySource, { filename: "sobre:lazy.js" }).createCachedData());
}

main().catch((err) => {
  process.stderr.write(`train: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
