import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { EXIT, ExitError, SobreError, UsageError } from "../../errors.js";
import { readInputFile, writeFileAtomic } from "../../operations/file-io.js";
import { parsePath, type PathSegment } from "../../tree/paths.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { resolveFormats, openFlags } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...DECRYPT_OPTIONS,
  { name: "value-file", type: "boolean", description: "VALUE is a file to read the JSON value from (keeps secrets out of process listings)" },
  { name: "value-stdin", type: "boolean", description: "read the JSON value from stdin (no VALUE argument)" },
  { name: "idempotent", type: "boolean", description: "do not rewrite the file when the value is already there" },
  { name: "shamir-secret-sharing-threshold", type: "number", placeholder: "N", description: "accepted for SOPS compatibility; has no effect", hidden: true },
];
export const usage = `sobre set [options] FILE '["key"]["sub"]' JSON_VALUE`;
export const summary = "set one value (JSON) in an encrypted file, keeping every other value's ciphertext";

/** SOPS's tree-path parse: a syntax error is exit 7 ("invalid set index format"). */
export function parseSetPath(text: string): PathSegment[] {
  try {
    return parsePath(text);
  } catch (err) {
    if (err instanceof SobreError) throw new ExitError(EXIT.ErrorInvalidSetFormat, err.message, { ...(err.hint ? { hint: err.hint } : {}) });
    throw err;
  }
}

/** SOPS's legacy `--set '["a"] VALUE'`: one argument holding path and value, split at the first `] `. */
function splitLegacy(positionals: string[]): string[] {
  if (positionals.length !== 2) return positionals;
  const at = positionals.findIndex((p) => p.trimStart().startsWith("[") && p.includes("] "));
  if (at < 0) return positionals;
  const spec = positionals[at]!;
  const cut = spec.indexOf("] ") + 1;
  return [positionals[1 - at]!, spec.slice(0, cut).trim(), spec.slice(cut + 1)];
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals: raw } = parseArgs(argv, options, { env: io.env });
  if (values["value-file"] && values["value-stdin"]) throw new UsageError("use either --value-file or --value-stdin, not both");
  const positionals = values["value-stdin"] ? raw : splitLegacy(raw);
  const wanted = values["value-stdin"] ? 2 : 3;
  if (positionals.length !== wanted) {
    throw new ExitError(EXIT.NoFileSpecified, `set needs ${wanted === 2 ? "FILE and PATH (the value comes from stdin)" : "FILE, PATH and VALUE"}`, { hint: usage });
  }
  const target = resolveTarget(positionals[0], io, usage);
  const path = parseSetPath(positionals[1]!);
  let text: string;
  if (values["value-stdin"]) text = Buffer.from(await io.readStdin()).toString("utf8");
  else if (values["value-file"]) {
    const name = positionals[2]!;
    text = readFileSync(isAbsolute(name) ? name : resolve(io.cwd, name), "utf8");
  } else text = positionals[2]!;
  const { parseJsonValue } = await import("../../operations/json-value.js");
  const value = parseJsonValue(text);
  const formats = resolveFormats(values, target.name);
  const indent = await indentFor(values, io, formats.input);
  const { setValue } = await import("../../operations/set.js");
  const result = await setValue({
    input: readInputFile(target.path),
    file: target.name,
    format: formats.input,
    ...(await openFlags(values, io, warner(io))),
    ...(indent !== undefined ? { indent } : {}),
    path,
    value,
    skipUnchanged: !!values["idempotent"],
  });
  if (result.output) writeFileAtomic(target.path, result.output);
  else if (values["verbose"]) io.writeStderr(`sobre: ${target.name}: the value is already set; file not written\n`);
  return 0;
}
