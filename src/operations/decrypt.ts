import type { FormatName } from "../formats/types.js";
import { loadFormat } from "../formats/registry.js";
import type { KeyContext } from "../keys/types.js";
import { stripLayout } from "../tree/layout.js";
import { lowerLocalTimes } from "../tree/convert-types.js";
import { warnLowered } from "./convert-warning.js";
import { getPath, type PathSegment } from "../tree/paths.js";
import { openEncryptedFile } from "./open-file.js";

export interface DecryptOptions {
  input: Uint8Array;
  file: string;
  inputFormat: FormatName;
  outputFormat: FormatName;
  /** `--extract`: print only this subtree or value. */
  extract?: PathSegment[];
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  indent?: number;
  keyContext: KeyContext;
}

/** Decrypt a file to plaintext bytes (whole file, or one extracted value). */
export async function decrypt(opts: DecryptOptions): Promise<Uint8Array> {
  const opened = await openEncryptedFile({
    input: opts.input,
    file: opts.file,
    format: opts.inputFormat,
    keyContext: opts.keyContext,
    // Nothing is re-encrypted: no IV bookkeeping per value.
    rememberIvs: false,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  try {
    const outFormat = opts.outputFormat === opts.inputFormat ? opened.format : await loadFormat(opts.outputFormat);
    if (outFormat !== opened.format) {
      stripLayout(opened.documents);
      if (outFormat.name !== "toml") warnLowered(lowerLocalTimes(opened.documents), opts.file, outFormat.name, opts.keyContext.warn);
    }
    const ctx = { file: opts.file, ...(opts.indent !== undefined ? { indent: opts.indent } : {}) };
    if (opts.extract) return outFormat.emitValue(getPath(opened.documents[0]!, opts.extract), ctx);
    return outFormat.emit(opened.documents, ctx);
  } finally {
    opened.dataKey.fill(0);
  }
}
