import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hermeticEnv } from "../../helpers/key-env.js";
import { ROOT } from "../../helpers/paths.js";
import { AGE_KEY_FILE } from "./samples.js";

/**
 * Spawning the real CLI for crash, hang, kill -9 and stderr checks. Each test file
 * bundles its own copy of the CLI instead of using dist/ (a rebuild of dist/ during a
 * run would make a spawned process fail halfway), under node_modules/.cache/: ignored
 * by git, and bare imports still resolve from there.
 */

let bundleDir: string | undefined;

/** Bundle src/cli/main.ts once per test file; returns the entry script. */
export async function buildCli(): Promise<string> {
  if (bundleDir) return join(bundleDir, "main.js");
  const { build } = await import("esbuild");
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  bundleDir = mkdtempSync(join(cache, "sobre-hardening-cli-"));
  await build({
    absWorkingDir: ROOT,
    entryPoints: { main: "src/cli/main.ts" },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "error",
    chunkNames: "chunks/[name]-[hash]",
  });
  return join(bundleDir, "main.js");
}

/** Remove the private bundle (afterAll). */
export function removeCli(): void {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
}

/** A hermetic environment that can decrypt with the TEST-ONLY age key; TMPDIR private. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const tmp = mkdtempSync(join(tmpdir(), "sobre-hard-tmp-"));
  return hermeticEnv({ SOPS_AGE_KEY_FILE: AGE_KEY_FILE, TMPDIR: tmp, ...extra });
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Peak resident set size of the sobre process in KiB (from a preload hook). */
  maxRssKiB: number | undefined;
  timedOut: boolean;
}

const RSS_HOOK = join(tmpdir(), `sobre-rss-hook-${process.pid}.mjs`);

function rssHook(): string {
  if (!existsSync(RSS_HOOK)) {
    writeFileSync(
      RSS_HOOK,
      `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { if (process.env.SOBRE_TEST_RSS_FILE) writeFileSync(process.env.SOBRE_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n`,
    );
  }
  return RSS_HOOK;
}

/** Run the CLI synchronously with a wall-clock limit (a hang is killed and reported). */
export function runCli(entry: string, args: string[], opts: { env: Record<string, string>; cwd?: string; input?: string | Uint8Array; timeoutMs?: number; nodeArgs?: string[] }): CliResult {
  const rssFile = join(opts.env.TMPDIR ?? tmpdir(), `rss-${Math.random().toString(36).slice(2)}`);
  const r: SpawnSyncReturns<Buffer> = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), "--import", rssHook(), entry, ...args], {
    env: { ...opts.env, SOBRE_TEST_RSS_FILE: rssFile },
    cwd: opts.cwd ?? opts.env.HOME,
    input: opts.input ?? "",
    timeout: opts.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    maxBuffer: 1 << 30,
  });
  let maxRssKiB: number | undefined;
  try {
    maxRssKiB = Number(readFileSync(rssFile, "utf8"));
    rmSync(rssFile);
  } catch {
    maxRssKiB = undefined;
  }
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? Buffer.alloc(0), stderr: (r.stderr ?? Buffer.alloc(0)).toString("utf8"), maxRssKiB, timedOut };
}

/** Start the CLI and SIGKILL it after `afterMs`; resolves when it is gone. */
export function runAndKill(entry: string, args: string[], opts: { env: Record<string, string>; cwd?: string; afterMs: number }): Promise<{ killed: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: opts.env, cwd: opts.cwd ?? opts.env.HOME, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.afterMs);
    child.on("exit", (status, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === "SIGKILL", status });
    });
  });
}

/** Stack-trace shapes that must never reach a user's terminal. */
export const STACK_TRACE = /^\s+at .+(\(|:\d+:\d+)|node:internal|Error: .*\n\s+at |RangeError|TypeError|ReferenceError/m;
