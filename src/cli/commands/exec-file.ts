import { resolve } from "node:path";
import { execFile } from "../../operations/exec-file.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { readInput, resolveFormats, openFlags } from "../resolve.js";
import { EXEC_OPTIONS, exitForChild, fileAndCommand, rejectBackground, signalMode } from "./exec-env.js";

export const options: readonly OptionSpec[] = [
  ...EXEC_OPTIONS,
  { name: "output-type", type: "string", placeholder: "TYPE", description: "format of the decrypted file (default: the input format)" },
  { name: "indent", type: "number", placeholder: "N", description: "indentation of YAML/JSON output" },
  { name: "fifo", type: "boolean", description: "pass the plaintext through a FIFO (default); --no-fifo writes a 0600 file on tmpfs instead" },
  { name: "filename", type: "string", placeholder: "NAME", description: "name of the decrypted file (default tmp-file)" },
  { name: "tmpdir", type: "string", placeholder: "DIR", description: "create the private directory in DIR (default: $XDG_RUNTIME_DIR or /dev/shm, which are memory-backed)" },
];
export const usage = "sobre exec-file [options] FILE COMMAND   ({} in COMMAND is the decrypted file's path)";
export const summary = "run COMMAND with the decrypted file at a private temporary path ({})";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env, maxPositionals: 2 });
  rejectBackground(values);
  const { file, command } = fileAndCommand(positionals, usage);
  const input = await readInput(file, io);
  const formats = resolveFormats(values, file);
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const status = await execFile({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    outputFormat: formats.output,
    ...(values["indent"] !== undefined ? { indent: values["indent"] as number } : {}),
    ...(await openFlags(values, io, warn)),
    command,
    baseEnv: io.env,
    fifo: values["fifo"] !== false,
    ...(values["filename"] ? { filename: String(values["filename"]) } : {}),
    ...(values["tmpdir"] ? { tmpdir: resolve(io.cwd, String(values["tmpdir"])) } : {}),
    ...(values["user"] ? { user: String(values["user"]) } : {}),
    mode: signalMode(io),
    warn,
  });
  return exitForChild(status);
}
