import { EXIT, ExitError, UsageError } from "../../errors.js";
import { descriptorFor } from "../../keys/registry.js";
import type { MasterKey } from "../../keys/types.js";
import { parseArgs, type OptionSpec, type OptionValues } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS, OUTPUT_OPTIONS, RECIPIENT_FLAGS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { writeResult } from "../output.js";
import { decryptionOrder, keyContextFor, readInput, resolveFormats } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";

const KEY_FLAGS: readonly OptionSpec[] = RECIPIENT_FLAGS.flatMap(({ flag }) => [
  { name: `add-${flag}`, type: "string" as const, placeholder: "KEYS", description: `add these comma-separated ${flag} keys to the first key group` },
  { name: `rm-${flag}`, type: "string" as const, placeholder: "KEYS", description: `remove these comma-separated ${flag} keys from every key group` },
]);

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...DECRYPT_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...KEY_FLAGS,
  { name: "aws-profile", type: "string", placeholder: "NAME", description: "AWS profile for added KMS keys" },
  { name: "encryption-context", type: "string", placeholder: "K:V,…", description: "AWS KMS encryption context for added KMS keys" },
];
export const usage = "sobre rotate [-i | --output FILE] [--add-age R] [--rm-age R] … FILE";
export const summary = "new data key: re-encrypt every value and re-wrap for the (changed) recipients";

async function keysFrom(values: OptionValues, prefix: "add" | "rm"): Promise<MasterKey[]> {
  const keys: MasterKey[] = [];
  for (const { flag, type } of RECIPIENT_FLAGS) {
    const text = values[`${prefix}-${flag}`] as string | undefined;
    if (!text) continue;
    if (type === "kms") {
      const { parseKmsRefs, parseEncryptionContext } = await import("../../keys/aws-kms/index.js");
      const context = values["encryption-context"] ? parseEncryptionContext(String(values["encryption-context"])) : undefined;
      const profile = values["aws-profile"] as string | undefined;
      keys.push(...parseKmsRefs(text, { ...(context ? { context } : {}), ...(profile ? { awsProfile: profile } : {}) }));
      continue;
    }
    keys.push(...descriptorFor(type)!.parseRefs(text));
  }
  return keys;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("rotate takes one FILE", { hint: usage });
  if (values["in-place"] && values["output"]) throw new UsageError("use either --in-place or --output, not both");
  const target = resolveTarget(positionals[0], io, usage);
  const add = await keysFrom(values, "add");
  const remove = await keysFrom(values, "rm");
  if (!target.exists && (add.length > 0 || remove.length > 0)) {
    throw new ExitError(EXIT.CannotChangeKeysFromNonExistentFile, `${target.name}: cannot add or remove keys on a file that does not exist`, {
      hint: "create it with `sobre edit` or `sobre encrypt` first",
    });
  }
  const input = await readInput(target.name, io);
  const formats = resolveFormats(values, target.name);
  const indent = await indentFor(values, io, formats.output);
  const order = decryptionOrder(values);
  const warn = warner(io);
  const { rotateFile } = await import("../../operations/rotate.js");
  const result = await rotateFile({
    input: input.bytes,
    file: input.name,
    inputFormat: formats.input,
    outputFormat: formats.output,
    keyContext: await keyContextFor(values, io, warn),
    ignoreMac: !!values["ignore-mac"],
    ...(order ? { decryptionOrder: order } : {}),
    ...(indent !== undefined ? { indent } : {}),
    add,
    remove,
  });
  for (const key of result.notFound) warn(`${key.id} is not a key of ${target.name}; nothing to remove`);
  writeResult(result.output, values, input, io, false);
  return 0;
}
