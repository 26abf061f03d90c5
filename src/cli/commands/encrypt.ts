import { UsageError } from "../../errors.js";
import { encrypt } from "../../operations/encrypt.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { IO_OPTIONS, OUTPUT_OPTIONS, RECIPIENT_OPTIONS, SELECTION_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { writeResult } from "../output.js";
import { keyContextFor, readInput, recipientsFromFlags, resolveFormats, resolveSelection } from "../resolve.js";
import { resolveCreation } from "../creation.js";
import { encryptReusingCommand } from "./encrypt-reuse.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...RECIPIENT_OPTIONS,
  ...SELECTION_OPTIONS,
  { name: "reuse-from", type: "string", placeholder: "OLD", description: "encrypt as the next version of encrypted file OLD: its data key, recipients and options, unchanged values keep their ciphertext" },
];
export const usage = "sobre encrypt [options] [FILE]";
export const summary = "encrypt a plaintext file (stdin when FILE is absent or -)";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("encrypt takes one FILE", { hint: usage });
  const input = await readInput(positionals[0], io);
  const formats = resolveFormats(values, positionals[0]);
  if (values["reuse-from"]) return encryptReusingCommand(String(values["reuse-from"]), values, input, formats, io);
  const flagRecipients = await recipientsFromFlags(values);
  const creation = await resolveCreation({ values, io, file: (values["filename-override"] as string | undefined) ?? positionals[0], flagRecipients, flagSelection: resolveSelection(values) });
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const out = await encrypt({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    outputFormat: formats.output,
    groups: creation.groups,
    shamirThreshold: creation.shamirThreshold,
    selection: creation.selection,
    macOnlyEncrypted: creation.macOnlyEncrypted,
    ...(values["indent"] !== undefined ? { indent: values["indent"] as number } : creation.indent !== undefined ? { indent: creation.indent } : {}),
    keyContext: await keyContextFor(values, io, warn),
  });
  writeResult(out, values, input, io, false);
  return 0;
}

