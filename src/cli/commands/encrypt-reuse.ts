import { formatForPath } from "../../formats/registry.js";
import type { FormatName } from "../../formats/types.js";
import type { OptionValues } from "../args.js";
import type { CliIO } from "../io.js";
import { writeResult } from "../output.js";
import { decryptionOrder, keyContextFor, readInput, type InputFile } from "../resolve.js";

/**
 * `sobre encrypt --reuse-from OLD FILE`: the plaintext FILE encrypted as the next version
 * of OLD (same data key, recipients, options; unchanged values keep their ciphertext).
 * Recipient and selection flags are ignored: they belong to OLD.
 */
export async function encryptReusingCommand(
  old: string,
  values: OptionValues,
  input: InputFile,
  formats: { input: FormatName; output: FormatName },
  io: CliIO,
): Promise<number> {
  const previous = await readInput(old, io);
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const { encryptReusing } = await import("../../operations/reuse-encrypt.js");
  const order = decryptionOrder(values);
  const out = await encryptReusing({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    outputFormat: formats.output,
    previous: previous.bytes,
    previousFile: previous.name,
    // OLD is in the output format; its extension tells, unless it has none we know.
    previousFormat: formatForPath(old) !== "binary" ? formatForPath(old) : formats.output,
    keyContext: await keyContextFor(values, io, warn),
    ...(order ? { decryptionOrder: order } : {}),
    ...(values["indent"] !== undefined ? { indent: values["indent"] as number } : {}),
  });
  writeResult(out, values, input, io, false);
  return 0;
}
