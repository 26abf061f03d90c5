import { EXIT, ExitError, inFile } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import type { KeyContext } from "../keys/types.js";
import { stripLayout } from "../tree/layout.js";
import { openEncryptedFile } from "./open-file.js";
import { sealFile } from "./seal-file.js";
import { hasMetadata } from "./sops-document.js";

export interface ReuseEncryptOptions {
  /** The new plaintext. */
  input: Uint8Array;
  file: string;
  inputFormat: FormatName;
  outputFormat: FormatName;
  /** The existing encrypted file whose data key, key groups, options and IVs are reused. */
  previous: Uint8Array;
  previousFile: string;
  previousFormat: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  indent?: number;
}

/**
 * `sobre encrypt --reuse-from OLD`: encrypt an edited plaintext as the next version of
 * OLD. The data key, recipients, selection options and MAC mode are OLD's, and every
 * value whose (path, type, plaintext) is unchanged gets OLD's IV back, hence OLD's exact
 * ciphertext: version control shows only the values that really changed.
 */
export async function encryptReusing(opts: ReuseEncryptOptions): Promise<Uint8Array> {
  const previous = await openEncryptedFile({
    input: opts.previous,
    file: opts.previousFile,
    format: opts.previousFormat,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  try {
    const inFormat = await loadFormat(opts.inputFormat);
    const documents = await inFormat.parse(opts.input, { file: opts.file, mode: "plain" });
    if (hasMetadata(documents)) {
      throw new ExitError(EXIT.FileAlreadyEncrypted, inFile(opts.file, "the file is already encrypted (it has a top-level sops entry)"), {
        hint: "--reuse-from takes the new plaintext as input; decrypt it first",
      });
    }
    const outFormat = opts.outputFormat === opts.inputFormat ? inFormat : await loadFormat(opts.outputFormat);
    if (outFormat !== inFormat) stripLayout(documents);
    return sealFile({
      documents,
      metadata: previous.metadata,
      dataKey: previous.dataKey,
      format: outFormat,
      file: opts.file,
      ivMemory: previous.ivMemory,
      ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
    });
  } finally {
    previous.dataKey.fill(0);
  }
}
