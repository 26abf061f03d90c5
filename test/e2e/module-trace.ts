/**
 * Which modules does one run of the built CLI load? A preload (`--import`) records every
 * module the ESM loader loads and, at exit, every CommonJS module in the require cache.
 * (The same technique as test/cli/startup.test.ts, but asynchronous, so protocol fakes
 * served by the test process keep answering while the CLI runs.)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTracePreload } from "../helpers/trace-preload.js";
import { BIN } from "../helpers/paths.js";

/** Packages an age-only run must not load: cloud SDKs, gRPC, openpgp, age-encryption. */
export const HEAVY_KEY_LIBS = /node_modules\/(@aws-sdk|@smithy|@azure|@google-cloud|google-gax|google-auth-library|@grpc|protobufjs|openpgp|age-encryption)\//;


export interface TracedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `file://…` URLs (ESM) and `cjs:/…` paths (CommonJS), in load order. */
  modules: string[];
}

export interface ModuleTracer {
  run(args: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<TracedRun>;
  dispose(): void;
}

/** Write the preload into a temp dir; `dispose()` removes it. */
export function createModuleTracer(): ModuleTracer {
  const dir = mkdtempSync(join(tmpdir(), "sobre-tracer-"));
  const preload = writeTracePreload(dir);
  let n = 0;
  return {
    async run(args, env, cwd) {
      const trace = join(dir, `trace-${++n}.txt`);
      writeFileSync(trace, "");
      const child = spawn(process.execPath, ["--import", preload, BIN, ...args], { cwd, env: { ...env, SOBRE_TRACE_FILE: trace } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdin.end();
      const code = await new Promise<number | null>((done) => child.on("close", done));
      return { code, stdout, stderr, modules: readFileSync(trace, "utf8").split("\n").filter(Boolean) };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
