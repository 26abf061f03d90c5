import { UsageError } from "../../errors.js";
import type { ChildStatus, SignalMode } from "../../exec/run-child.js";
import { signalExitCode } from "../../exec/run-child.js";
import { execEnv } from "../../operations/exec-env.js";
import { parseArgs, type OptionSpec, type OptionValues } from "../args.js";
import { DECRYPT_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { readInput, resolveFormats, openFlags } from "../resolve.js";

/** Options exec-env and exec-file share. */
export const EXEC_OPTIONS: readonly OptionSpec[] = [
  { name: "input-type", type: "string", placeholder: "TYPE", description: "input format: yaml, json, toml, dotenv, ini, binary (default: by extension)" },
  ...DECRYPT_OPTIONS,
  { name: "user", type: "string", placeholder: "NAME", description: "run the command as this user (sobre must run as root); sets HOME, USER, LOGNAME" },
  { name: "background", type: "boolean", hidden: true, description: "removed (SOPS deprecated it)" },
  { name: "keyservice", type: "strings", placeholder: "URI", hidden: true, description: "key service to use" },
  { name: "enable-local-keyservice", type: "boolean", hidden: true, description: "use local keys as well" },
];

export const options: readonly OptionSpec[] = [
  ...EXEC_OPTIONS,
  { name: "pristine", type: "boolean", description: "give the command only the file's variables, not sobre's environment" },
  {
    name: "same-process",
    type: "boolean",
    description: "accepted for SOPS compatibility: Node cannot exec in place, so the command runs as a child with stdio inherited, signals forwarded and its exit status mirrored",
  },
];
export const usage = "sobre exec-env [options] FILE COMMAND";
export const summary = "run COMMAND with the file's top-level values as environment variables";

/**
 * FILE and COMMAND from the positionals. More than one word after FILE (e.g. after
 * `--`) is shell-quoted and joined, so `sobre exec-env f.yaml -- node app.js` works.
 */
export function fileAndCommand(positionals: readonly string[], usageText: string): { file: string; command: string } {
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length === 0) throw new UsageError("missing FILE or COMMAND", { hint: usageText });
  const command = rest.length === 1 ? rest[0]! : rest.map(shellQuote).join(" ");
  return { file, command };
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function rejectBackground(values: OptionValues): void {
  if (values["background"]) {
    throw new UsageError("--background is not supported (SOPS deprecated it: the command would outlive the decrypted data)", {
      hint: "run sobre itself in the background instead: `sobre exec-env FILE CMD &`",
    });
  }
}

/** A terminal is attached: keep the child in our process group so it can use it. */
export function signalMode(io: CliIO): SignalMode {
  return io.stdinIsTTY || io.stderrIsTTY ? "interactive" : "supervised";
}

/** Termination signals safe to re-raise on sobre (no core dump, no inspector). */
const RERAISE = new Set<NodeJS.Signals>(["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL", "SIGALRM", "SIGUSR2", "SIGPIPE"]);

/**
 * Mirror the child's end: its exit code, or — for a signal death — the same signal on
 * sobre (so a calling shell sees WIFSIGNALED and stops a script on ^C), falling back to
 * 128+n. Runs after all cleanup, so nothing is left behind.
 */
export function exitForChild(status: ChildStatus): number {
  if (status.signal) {
    if (RERAISE.has(status.signal) && status.signal !== "SIGPIPE") process.kill(process.pid, status.signal);
    return signalExitCode(status.signal);
  }
  return status.code ?? 1;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env, maxPositionals: 2 });
  rejectBackground(values);
  const { file, command } = fileAndCommand(positionals, usage);
  const input = await readInput(file, io);
  const formats = resolveFormats(values, file);
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const status = await execEnv({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    ...(await openFlags(values, io, warn)),
    command,
    baseEnv: io.env,
    pristine: !!values["pristine"],
    ...(values["user"] ? { user: String(values["user"]) } : {}),
    mode: signalMode(io),
  });
  return exitForChild(status);
}
