import type { FormatName } from "../formats/types.js";
import { loadFormat } from "../formats/registry.js";
import type { KeyContext } from "../keys/types.js";
import { stripLayout } from "../tree/layout.js";
import { lowerLocalTimes } from "../tree/convert-types.js";
import { warnLowered } from "./convert-warning.js";
import { getPath, type PathSegment } from "../tree/paths.js";
import { openEncryptedFile } from "./open-file.js";
import { unwrapDataKey } from "../keys/groups.js";
import type { Metadata } from "../metadata/types.js";
import { withEarlyCipherWorker } from "../tree/cipher-pool.js";
import { detachMetadata, verifyMac } from "./sops-document.js";

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
  let dataKey: Uint8Array | undefined;
  if (opts.inputFormat === "dotenv" && opts.outputFormat === "dotenv" && !opts.extract) {
    const streamed = await streamDotenv(opts);
    if (streamed.output) return streamed.output;
    dataKey = streamed.dataKey;
  }
  try {
    return await decryptTree(opts, dataKey);
  } finally {
    dataKey?.fill(0);
  }
}

/**
 * dotenv to dotenv without a tree (`formats/dotenv/stream-decrypt.ts`) when the file is
 * the usual kind; otherwise nothing, or the data key already unwrapped, for the tree
 * path (which then reads, checks and reports as always). Errors unwrapping the key are
 * the tree path's own (it would have read the same metadata) and are thrown as they are.
 */
async function streamDotenv(opts: DecryptOptions): Promise<{ output?: Uint8Array; dataKey?: Uint8Array }> {
  // Loaded for dotenv files only (start-up time matters for every other decrypt).
  const { metadataDocument, scanDotenvLines } = await import("../formats/dotenv/stream-scan.js");
  const { streamDecryptDotenv } = await import("../formats/dotenv/stream-decrypt.js");
  const lines = scanDotenvLines(opts.input);
  if (!lines || lines.metadata.length === 0) return {};
  let metadata: Metadata;
  try {
    metadata = detachMetadata([metadataDocument(lines)], opts.file);
  } catch {
    return {};
  }
  return withEarlyCipherWorker(opts.input.length, "encrypted", async (worker) => {
    const dataKey = await unwrapDataKey(metadata.keyGroups, metadata.shamirThreshold, opts.keyContext, opts.decryptionOrder);
    try {
      const done = streamDecryptDotenv(lines, { dataKey, selection: metadata.selection, macOnlyEncrypted: metadata.macOnlyEncrypted, worker });
      if (!done) return { dataKey };
      if (!opts.ignoreMac) verifyMac(dataKey, metadata, done.mac, opts.file);
      dataKey.fill(0);
      return { output: done.output };
    } catch {
      // A MAC mismatch (or anything unexpected): the tree path finds and reports it.
      return { dataKey };
    }
  });
}

async function decryptTree(opts: DecryptOptions, dataKey: Uint8Array | undefined): Promise<Uint8Array> {
  const opened = await openEncryptedFile({
    ...(dataKey ? { dataKey } : {}),
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
