import { UsageError } from "../../errors.js";
import { decrypt } from "../../operations/decrypt.js";
import { EARLY_WORKER_BYTES } from "../../tree/cipher-pool.js";
import { parsePath } from "../../tree/paths.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS, OUTPUT_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { writeResult } from "../output.js";
import { decryptionOrder, keyContextFor, readInput, resolveFormats } from "../resolve.js";
import { indentForRead } from "../target.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...DECRYPT_OPTIONS,
  { name: "extract", type: "string", placeholder: "PATH", description: `print only this value, e.g. '["db"]["password"]'` },
];
export const usage = "sobre decrypt [options] [FILE]";
export const summary = "decrypt a file to stdout (or --output / -i)";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("decrypt takes one FILE", { hint: usage });
  // A large file goes to shared memory: the cipher worker decodes its ENC texts in place.
  const input = await readInput(positionals[0], io, { sharedFrom: EARLY_WORKER_BYTES.encrypted });
  const formats = resolveFormats(values, positionals[0]);
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const order = decryptionOrder(values);
  const indent = await indentForRead(values, io, formats.output);
  const out = await decrypt({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    outputFormat: formats.output,
    ...(values["extract"] ? { extract: parsePath(String(values["extract"])) } : {}),
    ignoreMac: !!values["ignore-mac"],
    ...(order ? { decryptionOrder: order } : {}),
    ...(indent !== undefined ? { indent } : {}),
    keyContext: await keyContextFor(values, io, warn),
  });
  writeResult(out, values, input, io, true);
  return 0;
}
