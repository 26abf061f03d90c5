// Runs a command and measures it: wall time (high-resolution, around the spawn), CPU
// (user + sys of the child, from the kernel's rusage) and peak RSS.
//
// rusage comes from GNU time (`/usr/bin/time -f … -o FILE`), which reads wait4()'s
// rusage of its child: exact CPU and max RSS of the measured process tree (Node's
// worker threads included, they are threads of the same process). Without GNU time only
// wall time is reported.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = ["/usr/bin/time", "/bin/time"].find((p) => existsSync(p));
/** True when CPU and RSS can be measured. */
export const HAS_RUSAGE = GNU_TIME !== undefined;

const scratch = mkdtempSync(join(tmpdir(), "sobre-bench-time-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Run `cmd args` once. stdout goes to `stdoutFile` (or is discarded), stdin is empty.
 * Returns `{ wallMs, cpuMs, rssKb, status, stderr }`; throws if the command fails.
 */
export function measureOnce(cmd, args, { env, cwd, stdoutFile } = {}) {
  const timeFile = join(scratch, "rusage");
  const argv = HAS_RUSAGE ? [GNU_TIME, "-q", "-f", "%U %S %M", "-o", timeFile, cmd, ...args] : [cmd, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    env,
    cwd,
    stdio: ["ignore", stdoutFile ? "pipe" : "ignore", "pipe"],
    maxBuffer: 1 << 30,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  }
  if (stdoutFile) writeFileSync(stdoutFile, r.stdout);
  let cpuMs;
  let rssKb;
  if (HAS_RUSAGE) {
    const [user, sys, rss] = readFileSync(timeFile, "utf8").trim().split(/\s+/).map(Number);
    cpuMs = (user + sys) * 1000;
    rssKb = rss;
  }
  return { wallMs, cpuMs, rssKb, status: r.status, stderr: String(r.stderr) };
}


function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run a command `runs` times (after `warmup` unmeasured runs) and return medians of wall
 * time and CPU, and the maximum peak RSS. Stops early, after at least one run, once the
 * measured runs took `budgetMs` in all (slow cases: sops on 100k values takes minutes).
 */
export function measure(cmd, args, { runs = 3, warmup = 1, budgetMs = Infinity, ...opts } = {}) {
  for (let i = 0; i < warmup; i++) measureOnce(cmd, args, opts);
  const samples = [];
  let spent = 0;
  for (let i = 0; i < runs && (i === 0 || spent < budgetMs); i++) {
    const s = measureOnce(cmd, args, opts);
    spent += s.wallMs;
    samples.push(s);
  }
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: HAS_RUSAGE ? median(samples.map((s) => s.cpuMs)) : undefined,
    rssKb: HAS_RUSAGE ? Math.max(...samples.map((s) => s.rssKb)) : undefined,
    runs: samples.length,
  };
}
