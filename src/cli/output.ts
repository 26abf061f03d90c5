import { isAbsolute, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { writeFileAtomic } from "../operations/file-io.js";
import type { OptionValues } from "./args.js";
import type { CliIO } from "./io.js";
import type { InputFile } from "./resolve.js";

/**
 * Deliver a command's result: over the input (`-i`), to `--output`, or to stdout.
 * Plaintext files are created 0600 so decrypted secrets are not world-readable.
 */
export function writeResult(bytes: Uint8Array, values: OptionValues, input: InputFile, io: CliIO, isPlaintext: boolean): void {
  if (values["in-place"]) {
    if (!input.path) throw new UsageError("--in-place needs a FILE, not stdin");
    writeFileAtomic(input.path, bytes);
    return;
  }
  const output = values["output"] as string | undefined;
  if (output) {
    writeFileAtomic(isAbsolute(output) ? output : resolve(io.cwd, output), bytes, { mode: isPlaintext ? 0o600 : 0o644 });
    return;
  }
  io.writeStdout(bytes);
}
