import { UsageError, type SobreError } from "../../errors.js";
import { readInputFile, writeFileAtomic } from "../../operations/file-io.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { DECRYPT_OPTIONS, IO_OPTIONS, RECIPIENT_OPTIONS, SELECTION_OPTIONS } from "../common-options.js";
import { resolveCreation } from "../creation.js";
import type { CliIO } from "../io.js";
import { waitForEnter } from "../prompts.js";
import { decryptionOrder, keyContextFor, recipientsFromFlags, resolveFormats, resolveSelection } from "../resolve.js";
import { indentFor, resolveTarget, warner } from "../target.js";

export const options: readonly OptionSpec[] = [
  ...IO_OPTIONS,
  ...DECRYPT_OPTIONS,
  ...RECIPIENT_OPTIONS,
  ...SELECTION_OPTIONS,
  { name: "show-master-keys", aliases: ["s"], type: "boolean", description: "show the sops metadata block while editing (changes to it are ignored)" },
];
export const usage = "sobre edit [options] FILE   (or just: sobre FILE)";
export const summary = "edit an encrypted file in $SOPS_EDITOR/$EDITOR (creates it from .sops.yaml rules if missing)";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("edit takes one FILE", { hint: usage });
  const target = resolveTarget(positionals[0], io, usage);
  const formats = resolveFormats(values, target.name);
  const warn = warner(io);
  const indent = await indentFor(values, io, formats.input);
  const { editFile } = await import("../../operations/edit.js");
  const { withEditorSession } = await import("../../exec/editor.js");
  const output = await editFile({
    input: target.exists ? readInputFile(target.path) : undefined,
    file: target.name,
    format: formats.input,
    keyContext: await keyContextFor(values, io, warn),
    ignoreMac: !!values["ignore-mac"],
    ...optional("decryptionOrder", decryptionOrder(values)),
    ...optional("indent", indent),
    showMasterKeys: !!values["show-master-keys"],
    newFile: async () =>
      resolveCreation({
        values,
        io,
        file: (values["filename-override"] as string | undefined) ?? target.name,
        flagRecipients: await recipientsFromFlags(values),
        flagSelection: resolveSelection(values),
      }),
    withEditor: (initial, use) => withEditorSession(target.path, initial, { env: io.env, stdinIsTTY: io.stdinIsTTY }, use),
    onInvalid: async (err: SobreError) => {
      io.writeStderr(`sobre: ${err.message}\n`);
      if (err.hint) io.writeStderr(`hint: ${err.hint}\n`);
      return waitForEnter(io, "Press Enter to return to the editor, or Ctrl+C to abort (your changes will be lost).");
    },
  });
  writeFileAtomic(target.path, output, { mode: 0o644 });
  return 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
