// Builds `dist/sobre`, a single executable for the host platform (Node SEA):
//   1. bundle the CLI into core.js (our code + small packages) and lazy.js (cloud SDKs,
//      openpgp, …) (scripts/sea/bundle.mjs),
//   2. let the BASE node run typical commands on core.js and write V8 code caches for
//      both (scripts/sea/train.cjs; a cache is only valid for the node that made it),
//   3. let the base node generate the blob: main = scripts/sea/loader.cjs, the bundles
//      and caches as assets (a blob only runs on the exact Node version that produced it),
//   4. copy the base node binary and inject the blob with postject (sentinel fuse).
//
// Usage: node scripts/build-binary.mjs [--out PATH] [--no-minify]
// Env:   SOBRE_SEA_NODE=/path/to/node  use this base binary (must carry the SEA fuse)
//        SOBRE_SEA_OFFLINE=1           do not fetch the official Node 22; use process.execPath
// Prints one JSON line on stdout at the end: { out, bytes, sha256, node, source }.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveBaseNode, SEA_FUSE } from "./sea/base-node.mjs";
import { bundleForSea } from "./sea/bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outArg = args.indexOf("--out");
const out = resolve(root, outArg >= 0 ? args[outArg + 1] : "dist/sobre");
const minify = !args.includes("--no-minify");
const log = (m) => process.stderr.write(`build-binary: ${m}\n`);

const cacheDir = join(root, ".cache", "sea");
const work = join(root, ".cache", "sea-build", String(process.pid));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

try {
  const base = resolveBaseNode({ cacheDir, log });
  log(`base: node ${base.version} — ${base.source}`);
  const major = base.version.split(".")[0];

  const { core, lazy } = await bundleForSea({ root, outDir: work, target: `node${major}`, minify });
  log(`bundle: core ${(statSync(core).size / 1e6).toFixed(2)} MB, lazy ${(statSync(lazy).size / 1e6).toFixed(1)} MB`);

  const train = spawnSync(base.path, [join(root, "scripts/sea/train.cjs"), work], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  for (const line of `${train.stderr}`.split("\n").filter((l) => l.trim())) log(line);
  if (train.status !== 0) throw new Error(`code cache training failed (exit ${train.status})`);
  log(`code cache: core ${(statSync(join(work, "core.cache")).size / 1e6).toFixed(2)} MB, lazy ${(statSync(join(work, "lazy.cache")).size / 1e6).toFixed(1)} MB`);

  const blob = join(work, "sobre.blob");
  const assets = Object.fromEntries(["core.js", "core.cache", "lazy.js", "lazy.cache", "version.txt"].map((n) => [n, join(work, n)]));
  const seaConfig = {
    main: join(root, "scripts/sea/loader.cjs"),
    output: blob,
    disableExperimentalSEAWarning: true,
    // The loader is tiny; the bundles carry their own (trained) caches as assets.
    useCodeCache: false,
    assets,
  };
  writeFileSync(join(work, "sea-config.json"), JSON.stringify(seaConfig, null, 2));
  const blobRun = spawnSync(base.path, ["--experimental-sea-config", join(work, "sea-config.json")], { encoding: "utf8" });
  if (blobRun.status !== 0) throw new Error(`blob generation failed: ${blobRun.stderr || blobRun.error?.message}`);

  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  copyFileSync(base.path, out);
  chmodSync(out, 0o755);
  if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", out]);

  // postject's CLI in a child: its ELF library prints harmless "Can't find string offset
  // for section name '.note…'" warnings that would bury real output; keep anything else.
  const postject = join(root, "node_modules/postject/dist/cli.js");
  const inject = spawnSync(process.execPath, [postject, out, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE, ...(process.platform === "darwin" ? ["--macho-segment-name", "NODE_SEA"] : [])], { encoding: "utf8" });
  const noise = /^warning: Can't find string offset for section name/;
  const messages = `${inject.stdout}${inject.stderr}`.split("\n").filter((l) => l.trim() && !noise.test(l));
  if (inject.status !== 0) throw new Error(`postject failed: ${messages.join("; ") || inject.error?.message}`);
  for (const m of messages.filter((l) => !/injection/i.test(l))) log(`postject: ${m}`);
  if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", out]);

  const version = execFileSync(out, ["--version"], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } }).trim();
  const bytes = statSync(out).size;
  const sha256 = createHash("sha256").update(readFileSync(out)).digest("hex");
  log(`${out}: ${(bytes / 1e6).toFixed(1)} MB, sha256 ${sha256}`);
  log(`smoke test: ${version}`);
  process.stdout.write(`${JSON.stringify({ out, bytes, sha256, node: base.version, source: base.source })}\n`);
} catch (err) {
  log(`failed: ${err.message ?? err}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
