// Finds the Node binary that becomes the single executable's runtime.
//
// Preferred: the official Node 22 build from the npm registry (`node-<os>-<arch>` packages
// ship the release binary), fetched on demand with `npm pack` into `.cache/sea/` so it is
// neither in the lockfile nor on the `npm ci` path. Fallback when that is impossible
// (offline, unsupported platform): the Node running this script, if it carries the SEA fuse.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

/** The release pinned for the binary (Node 22 LTS: faster startup, compile cache, SEA code cache). */
export const BASE_NODE_VERSION = "22.23.3";
/** The fuse string postject flips; a Node build without it cannot become a SEA. */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

function npmPackageName() {
  const os = { linux: "linux", darwin: "darwin", win32: "win" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  return os && arch ? `node-${os}-${arch}` : undefined;
}

/** True when `path` is a Node binary whose SEA fuse is still unset (`:0`). */
export function hasSeaFuse(path) {
  try {
    return readFileSync(path).includes(`${SEA_FUSE}:0`);
  } catch {
    return false;
  }
}

function nodeVersionOf(path) {
  return execFileSync(path, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
}

/** Download (once) the official Node binary through `npm pack`; returns its path or undefined. */
function cachedOfficialNode(cacheDir, log) {
  const pkg = npmPackageName();
  if (!pkg) {
    log(`no official node package for ${process.platform}-${process.arch}`);
    return undefined;
  }
  const dir = join(cacheDir, `${pkg}-${BASE_NODE_VERSION}`);
  const exe = join(dir, process.platform === "win32" ? "node.exe" : "node");
  if (existsSync(exe)) return exe;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.download-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    log(`fetching ${pkg}@${BASE_NODE_VERSION} with npm pack (about 50 MB, once)`);
    // npm verifies the tarball against the registry's integrity hash.
    execFileSync("npm", ["pack", `${pkg}@${BASE_NODE_VERSION}`, "--silent", "--pack-destination", tmp], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 180_000,
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error("npm pack produced no tarball");
    const member = process.platform === "win32" ? "package/bin/node.exe" : "package/bin/node";
    execFileSync("tar", ["-xzf", join(tmp, tgz), "-C", tmp, member], { stdio: ["ignore", "ignore", "pipe"] });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(join(tmp, member), exe);
    chmodSync(exe, 0o755);
    return exe;
  } catch (err) {
    log(`could not fetch the official node binary (${String(err.message ?? err).split("\n")[0]})`);
    return undefined;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Pick the base binary. Order: `SOBRE_SEA_NODE` (explicit path), the cached/official
 * Node 22 (skipped when `SOBRE_SEA_OFFLINE=1`), then `process.execPath`.
 * Returns `{ path, version, source }`, or throws when none is SEA-capable.
 */
export function resolveBaseNode({ cacheDir, env = process.env, log = () => {} }) {
  const candidates = [];
  if (env.SOBRE_SEA_NODE) candidates.push({ path: env.SOBRE_SEA_NODE, source: "SOBRE_SEA_NODE" });
  else {
    if (env.SOBRE_SEA_OFFLINE !== "1") {
      const official = cachedOfficialNode(cacheDir, log);
      if (official) candidates.push({ path: official, source: `official node ${BASE_NODE_VERSION} (npm: ${npmPackageName()})` });
    }
    candidates.push({ path: process.execPath, source: "the running node (process.execPath)" });
  }
  for (const c of candidates) {
    if (!hasSeaFuse(c.path)) {
      log(`${c.path}: no unset SEA fuse, cannot be used`);
      continue;
    }
    const version = nodeVersionOf(c.path);
    const major = Number(version.split(".")[0]);
    if (major < 20) {
      log(`${c.path}: node ${version} is too old for single executables`);
      continue;
    }
    return { ...c, version };
  }
  throw new Error("no SEA-capable node binary found (set SOBRE_SEA_NODE=/path/to/node ≥ 20)");
}
