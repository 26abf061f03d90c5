// `npm run bench`: sobre vs sops on generated documents, plus startup cost.
//
// Options: --sizes 1000,10000,100000  --formats yaml,json,toml,dotenv  --runs N
//          --startup-runs N  --binary PATH (default dist/sobre when present)  --no-sops
//          --small-format yaml (startup decrypt file)  --sobre PATH (entry script, default bin/sobre.js)  --no-startup  --out FILE (default bench/results/latest.md; "-" = stdout only)
// Needs `npm run build` first (npm run bench does it). Uses the TEST-ONLY age key.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXTENSIONS, FORMATS, generateDocument } from "./lib/generate.mjs";
import { measure, measureOnce } from "./lib/measure.mjs";
import { machineInfo, renderMarkdown } from "./lib/report.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const sizes = opt("sizes", "1000,10000,100000").split(",").map(Number);
const formats = opt("formats", FORMATS.join(",")).split(",");
const runs = Number(opt("runs", "3"));
const startupRuns = Number(opt("startup-runs", "15"));
const outFile = opt("out", join(root, "bench/results/latest.md"));

const KEY_FILE = join(root, "fixtures/keys/age-test-key.txt");
const RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(KEY_FILE, "utf8"))[0];
const SOBRE = resolve(root, opt("sobre", "bin/sobre.js"));
const binaryPath = resolve(root, opt("binary", "dist/sobre"));
const BINARY = existsSync(binaryPath) ? binaryPath : undefined;
const SOPS = argv.includes("--no-sops")
  ? undefined
  : [...(process.env.PATH ?? "").split(":").map((d) => join(d, "sops")), join(homedir(), "go/bin/sops")].find((p) => p && existsSync(p));
/** SOPS has no TOML format (it would encrypt the file as one binary blob): not compared. */
const SOPS_FORMATS = new Set(["yaml", "json", "dotenv"]);

const work = join(root, ".bench-tmp");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const home = join(work, "home");
mkdirSync(home);

// Hermetic environment: no user config, no cloud credentials, no SOPS_* settings.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SOPS_|AWS_|GOOGLE_|AZURE_|VAULT_|SOBRE_|NODE_OPTIONS)/.test(k)));
Object.assign(env, { HOME: home, XDG_CONFIG_HOME: join(home, ".config"), SOPS_AGE_KEY_FILE: KEY_FILE });
const run = (cmd, args, extra = {}) => measure(cmd, args, { env, cwd: work, ...extra });
const sobreCmd = (args) => ["node", [SOBRE, ...args]];
const sopsCmd = (args) => [SOPS, ["--disable-version-check", ...args]];
const log = (m) => process.stderr.write(`bench: ${m}\n`);

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Start-up runs, interleaved: one run of each command per round. Returns `measure`-shaped results by name. */
function interleaved(cmds, rounds, warmup) {
  const samples = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (let i = 0; i < warmup + rounds; i++) {
    for (const [name, [cmd, args]] of Object.entries(cmds)) {
      const one = measureOnce(cmd, args, { env, cwd: work });
      if (i >= warmup) samples[name].push(one);
    }
  }
  const summary = (xs) => ({
    wallMs: median(xs.map((x) => x.wallMs)),
    cpuMs: xs[0].cpuMs === undefined ? undefined : median(xs.map((x) => x.cpuMs)),
    rssKb: xs[0].rssKb === undefined ? undefined : Math.max(...xs.map((x) => x.rssKb)),
    runs: xs.length,
  });
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, summary(xs)]));
}

const notes = [];
const cases = [];
for (const format of formats) {
  const ext = EXTENSIONS[format];
  for (const values of sizes) {
    const plain = join(work, `plain-${values}.${ext}`);
    writeFileSync(plain, generateDocument(format, values));
    const reps = values >= 100_000 ? { runs, warmup: 0, budgetMs: 45_000 } : { runs: Math.max(runs, 5), warmup: 1, budgetMs: 30_000 };
    const encOut = join(work, `sobre-${values}.${ext}`);
    log(`${format} ${values}: sobre encrypt/decrypt`);
    const sobreEnc = run(...sobreCmd(["encrypt", "--age", RECIPIENT, plain]), { ...reps, stdoutFile: encOut });
    const decOut = join(work, `sobre-${values}.dec.${ext}`);
    const sobreDec = run(...sobreCmd(["decrypt", encOut]), { ...reps, stdoutFile: decOut });
    if (!readFileSync(decOut).equals(readFileSync(plain))) notes.push(`${format} ${values}: sobre decrypt(encrypt(x)) is not byte-identical to x`);

    let sopsEnc;
    let sopsDec;
    if (SOPS && SOPS_FORMATS.has(format)) {
      log(`${format} ${values}: sops encrypt/decrypt`);
      const sopsOut = join(work, `sops-${values}.${ext}`);
      sopsEnc = run(...sopsCmd(["encrypt", "--age", RECIPIENT, plain]), { ...reps, stdoutFile: sopsOut });
      sopsDec = run(...sopsCmd(["decrypt", sopsOut]), reps);
      if (values === sizes[0]) crossCheck(format, ext, values, encOut, sopsOut);
    }
    cases.push({ format, values, op: "encrypt", sobre: sobreEnc, sops: sopsEnc });
    cases.push({ format, values, op: "decrypt", sobre: sobreDec, sops: sopsDec });
  }
}

/** Untimed interop check on the smallest size: each tool decrypts the other's output. */
function crossCheck(format, ext, values, sobreFile, sopsFile) {
  const a = join(work, `x-sops-reads-sobre.${ext}`);
  const b = join(work, `x-sobre-reads-sops.${ext}`);
  try {
    run(...sopsCmd(["decrypt", sobreFile]), { runs: 1, warmup: 0, stdoutFile: a });
    run(...sobreCmd(["decrypt", sopsFile]), { runs: 1, warmup: 0, stdoutFile: b });
    const same = readFileSync(a).equals(readFileSync(b));
    notes.push(`${format} ${values}: sops decrypts sobre's file and sobre decrypts sops's file${same ? " (same plaintext)" : ", but the plaintexts differ"}`);
  } catch (err) {
    notes.push(`${format} ${values}: interop check failed: ${String(err.message).split("\n")[0]}`);
  }
}

const startup = [];
if (!argv.includes("--no-startup")) {
  log("startup");
  const smallFormat = opt("small-format", "yaml");
  const small = join(work, `small.${EXTENSIONS[smallFormat]}`);
  writeFileSync(small, generateDocument(smallFormat, 20));
  const smallEnc = join(work, `small.enc.${EXTENSIONS[smallFormat]}`);
  run(...sobreCmd(["encrypt", "--age", RECIPIENT, small]), { runs: 1, warmup: 0, stdoutFile: smallEnc });
  const cmds = {
    node: ["node", ["-e", "0"]],
    version: sobreCmd(["--version"]),
    decrypt: sobreCmd(["decrypt", smallEnc]),
  };
  if (SOPS) {
    const smallSops = join(work, `small.sops.${EXTENSIONS[smallFormat]}`);
    run(...sopsCmd(["encrypt", "--age", RECIPIENT, small]), { runs: 1, warmup: 0, stdoutFile: smallSops });
    cmds.sopsVersion = sopsCmd(["--version"]);
    cmds.sopsDecrypt = sopsCmd(["decrypt", smallSops]);
  }
  if (BINARY) {
    cmds.binVersion = [BINARY, ["--version"]];
    cmds.binDecrypt = [BINARY, ["decrypt", smallEnc]];
  } else notes.push("single binary not measured: run `npm run build:binary` first (or pass --binary PATH)");
  const m = interleaved(cmds, startupRuns, 2);
  const nodeBase = { label: "`node -e 0`", m: m.node };
  startup.push(nodeBase);
  startup.push({ label: "`sobre --version` (bin/sobre.js)", m: m.version, vs: nodeBase });
  startup.push({ label: "`sobre decrypt` 20 values (bin/sobre.js)", m: m.decrypt, vs: nodeBase });
  const sopsVersion = SOPS && { label: "`sops --version`", m: m.sopsVersion };
  const sopsSmall = SOPS && { label: "`sops decrypt` 20 values", m: m.sopsDecrypt };
  if (SOPS) startup.push(sopsVersion, sopsSmall);
  if (BINARY) {
    startup.push({ label: "`dist/sobre --version` (single binary)", m: m.binVersion, vs: sopsVersion || nodeBase });
    startup.push({ label: "`dist/sobre decrypt` 20 values (single binary)", m: m.binDecrypt, vs: sopsSmall || nodeBase });
  }
  notes.push(`startup: the commands ran interleaved (one of each per round, ${startupRuns} rounds after 2 warm-up rounds), so a change in machine load hits all alike; wall and CPU are medians`);
}
if (!SOPS) notes.push("sops not found on PATH or in ~/go/bin: no comparison");
notes.push("TOML is not compared: sops has no TOML format (it would encrypt the file as one binary value)");

const info = machineInfo({ sops: SOPS, binary: BINARY });
const md = renderMarkdown({ info, cases, startup, notes });
process.stdout.write(md);
if (outFile !== "-") {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, md);
  log(`written to ${outFile}`);
}
rmSync(work, { recursive: true, force: true });
