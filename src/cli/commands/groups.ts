import { UsageError } from "../../errors.js";
import { descriptorFor } from "../../keys/registry.js";
import type { MasterKey } from "../../keys/types.js";
import { parseArgs, type OptionSpec, type OptionValues } from "../args.js";
import { DECRYPT_OPTIONS, RECIPIENT_FLAGS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { writeResult } from "../output.js";
import { decryptionOrder, keyContextFor, readInput, resolveFormats } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";

const COMMON: readonly OptionSpec[] = [
  { name: "file", aliases: ["f"], type: "string", placeholder: "FILE", description: "the encrypted file" },
  { name: "in-place", aliases: ["i"], type: "boolean", description: "write the result over FILE (atomically) instead of stdout" },
  { name: "shamir-secret-sharing-threshold", type: "number", placeholder: "N", description: "number of key groups needed to decrypt" },
  { name: "input-type", type: "string", placeholder: "TYPE", description: "file format (default: by extension)" },
  { name: "indent", type: "number", placeholder: "N", description: "indentation of YAML/JSON output" },
  { name: "config", type: "string", placeholder: "PATH", env: "SOPS_CONFIG", description: "path to .sops.yaml (for stores settings)" },
  ...DECRYPT_OPTIONS,
];

const KEY_OPTIONS: readonly OptionSpec[] = [
  ...RECIPIENT_FLAGS.map(({ flag }) => ({ name: flag, type: "strings" as const, placeholder: "KEY", description: `a ${flag} key for the new group (repeatable, or comma-separated)` })),
  { name: "aws-profile", type: "string", placeholder: "NAME", description: "AWS profile for the KMS keys" },
  { name: "encryption-context", type: "string", placeholder: "K:V,…", description: "AWS KMS encryption context for the KMS keys" },
];

export const options: readonly OptionSpec[] = [...COMMON, ...KEY_OPTIONS];
export const usage = "sobre groups add --file FILE [--age R …] [-i]  |  sobre groups delete --file FILE [-i] INDEX";
export const summary = "add or delete a key group (Shamir secret sharing across groups)";

async function groupFrom(values: OptionValues): Promise<MasterKey[]> {
  const keys: MasterKey[] = [];
  for (const { flag, type } of RECIPIENT_FLAGS) {
    for (const text of (values[flag] as string[] | undefined) ?? []) {
      if (type === "kms") {
        const { parseKmsRefs, parseEncryptionContext } = await import("../../keys/aws-kms/index.js");
        const context = values["encryption-context"] ? parseEncryptionContext(String(values["encryption-context"])) : undefined;
        const profile = values["aws-profile"] as string | undefined;
        keys.push(...parseKmsRefs(text, { ...(context ? { context } : {}), ...(profile ? { awsProfile: profile } : {}) }));
      } else keys.push(...descriptorFor(type)!.parseRefs(text));
    }
  }
  return keys;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const sub = argv[0];
  if (sub !== "add" && sub !== "delete") throw new UsageError(`groups needs a subcommand: add or delete`, { hint: usage });
  const { values, positionals } = parseArgs(argv.slice(1), sub === "add" ? options : COMMON, { env: io.env });
  if (sub === "add" && positionals.length > 0) throw new UsageError("groups add takes no positional arguments", { hint: usage });
  if (sub === "delete" && positionals.length !== 1) throw new UsageError("groups delete needs exactly one INDEX (0-based)", { hint: usage });
  const target = resolveTarget(values["file"] as string | undefined, io, usage);
  const input = await readInput(target.name, io);
  const formats = resolveFormats(values, target.name);
  const order = decryptionOrder(values);
  const indent = await indentFor(values, io, formats.input);
  const { loadSealedFile } = await import("../../operations/rekey.js");
  const { addGroup, deleteGroup } = await import("../../operations/groups.js");
  const common = {
    sealed: await loadSealedFile(input.bytes, input.name, formats.input),
    file: input.name,
    keyContext: await keyContextFor(values, io, warner(io)),
    threshold: (values["shamir-secret-sharing-threshold"] as number | undefined) ?? 0,
    ...(order ? { decryptionOrder: order } : {}),
    ...(indent !== undefined ? { indent } : {}),
  };
  let output: Uint8Array;
  if (sub === "add") output = await addGroup({ ...common, group: await groupFrom(values) });
  else {
    const text = positionals[0]!;
    if (!/^\d+$/.test(text)) throw new UsageError(`invalid group index ${JSON.stringify(text)}`, { hint: "the index is a number, counted from 0" });
    output = await deleteGroup({ ...common, index: Number(text) });
  }
  writeResult(output, values, input, io, false);
  return 0;
}
