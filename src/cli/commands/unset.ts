import { EXIT, ExitError } from "../../errors.js";
import { readInputFile, writeFileAtomic } from "../../operations/file-io.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { resolveFormats, openFlags } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";
import { parseSetPath } from "./set.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...DECRYPT_OPTIONS,
  { name: "idempotent", type: "boolean", description: "succeed without writing when the key does not exist" },
  { name: "shamir-secret-sharing-threshold", type: "number", placeholder: "N", description: "accepted for SOPS compatibility; has no effect", hidden: true },
];
export const usage = `sobre unset [options] FILE '["key"]["sub"]'`;
export const summary = "remove one key or list item from an encrypted file, keeping every other value's ciphertext";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length !== 2) throw new ExitError(EXIT.NoFileSpecified, "unset needs FILE and PATH", { hint: usage });
  // SOPS's legacy `--unset PATH FILE` puts the path first.
  const [file, pathText] = positionals[0]!.trimStart().startsWith("[") && !positionals[1]!.trimStart().startsWith("[") ? [positionals[1]!, positionals[0]!] : [positionals[0]!, positionals[1]!];
  const target = resolveTarget(file, io, usage);
  const path = parseSetPath(pathText);
  const formats = resolveFormats(values, target.name);
  const indent = await indentFor(values, io, formats.input);
  const { unsetValue } = await import("../../operations/unset.js");
  const result = await unsetValue({
    input: readInputFile(target.path),
    file: target.name,
    format: formats.input,
    ...(await openFlags(values, io, warner(io))),
    ...(indent !== undefined ? { indent } : {}),
    path,
    idempotent: !!values["idempotent"],
  });
  if (result.output) writeFileAtomic(target.path, result.output);
  return 0;
}
