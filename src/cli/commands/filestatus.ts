import { UsageError } from "../../errors.js";
import { readInputFile } from "../../operations/file-io.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { resolveFormats } from "../resolve.js";
import { resolveTarget } from "../target.js";

export const options: readonly OptionSpec[] = [
  { name: "input-type", type: "string", placeholder: "TYPE", description: "file format (default: by extension)" },
];
export const usage = "sobre filestatus [--input-type TYPE] FILE";
export const summary = 'print {"encrypted":true} or {"encrypted":false} for a file, like sops filestatus';

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("filestatus takes one FILE", { hint: usage });
  const target = resolveTarget(positionals[0], io, usage);
  const formats = resolveFormats(values, target.name);
  const { fileStatus } = await import("../../operations/filestatus.js");
  const status = await fileStatus(readInputFile(target.path), target.name, formats.input);
  io.writeStdout(`${JSON.stringify({ encrypted: status.encrypted })}\n`);
  return 0;
}
