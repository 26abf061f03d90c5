/** Running SOPS_AGE_KEY_CMD-style commands: split like SOPS, no shell, stdout captured. */
import { spawn } from "node:child_process";
import { splitCommand } from "../../shlex.js";

/**
 * Run `command` with `env` and return its stdout. The error names the variable and
 * the exit status only: stderr could hold anything, so it is not repeated.
 */
export function runKeyCommand(
  variable: string,
  command: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Buffer> {
  let argv: string[];
  try {
    argv = splitCommand(command);
  } catch (err) {
    return Promise.reject(new Error(`${variable}: cannot parse the command: ${(err as Error).message}`));
  }
  if (argv.length === 0) return Promise.reject(new Error(`${variable}: empty command`));
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.resume();
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(`${variable}: cannot run ${argv[0]}: ${err.code === "ENOENT" ? "command not found" : err.message}`)),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${variable}: command failed (${signal ? `signal ${signal}` : `exit status ${code}`})`));
    });
  });
}
