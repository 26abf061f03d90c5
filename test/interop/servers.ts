/** Long-running key service processes (sobre's and sops's) for the interop suite. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { SOBRE_BIN, SOPS_BIN } from "./peers.js";

export interface ServerProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  log: () => string;
  /** SIGTERM (by pid), then wait for exit; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Start a server and wait until `ready` matches its stderr (or it exits). */
export async function startServer(tool: "sobre" | "sops", args: readonly string[], env: Record<string, string>, cwd: string, ready: RegExp): Promise<ServerProcess & { match: RegExpExecArray }> {
  const [bin, argv] = tool === "sobre" ? [process.execPath, [SOBRE_BIN, "keyservice", ...args]] : [SOPS_BIN, ["keyservice", ...args]];
  const child = spawn(bin, argv, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${tool} keyservice did not start:\n${err}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${tool} keyservice exited (${code}) before it was ready:\n${err}`));
    });
  });
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  return { child, log: () => err, stop, match };
}

/** A TCP port that was free a moment ago (for `sops keyservice`, which cannot report port 0). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}
