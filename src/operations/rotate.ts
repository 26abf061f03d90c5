import { randomBytes } from "node:crypto";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { wrapForGroups } from "../keys/groups.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import { stripLayout } from "../tree/layout.js";
import { openEncryptedFile } from "./open-file.js";
import { keyIdentity, masterKeysOf } from "./rekey.js";
import { sealFile } from "./seal-file.js";

export interface RotateOptions {
  input: Uint8Array;
  file: string;
  inputFormat: FormatName;
  outputFormat: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  /** Added to the first key group (SOPS `--add-*`). */
  add?: readonly MasterKey[];
  /** Removed from every group (SOPS `--rm-*`). */
  remove?: readonly MasterKey[];
  indent?: number;
}

export interface RotateResult {
  output: Uint8Array;
  /** `remove` keys that were not in the file (SOPS ignores them silently; we tell). */
  notFound: MasterKey[];
}

/**
 * `sobre rotate`: a new data key, every value re-encrypted with fresh IVs, the data key
 * wrapped for the (possibly changed) recipients. The only command after which no
 * ciphertext of the old file remains valid.
 */
export async function rotateFile(opts: RotateOptions): Promise<RotateResult> {
  const opened = await openEncryptedFile({
    input: opts.input,
    file: opts.file,
    format: opts.inputFormat,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  opened.dataKey.fill(0);
  const groups = masterKeysOf(opened.metadata.keyGroups, opts.file);
  for (const key of opts.add ?? []) {
    const id = keyIdentity(key.type, key.id);
    if (!groups.some((g) => g.some((k) => keyIdentity(k.type, k.id) === id))) (groups[0] ??= []).push(key);
  }
  const notFound: MasterKey[] = [];
  for (const key of opts.remove ?? []) {
    const id = keyIdentity(key.type, key.id);
    let found = false;
    for (let i = 0; i < groups.length; i++) {
      const kept = groups[i]!.filter((k) => keyIdentity(k.type, k.id) !== id);
      found ||= kept.length !== groups[i]!.length;
      groups[i] = kept;
    }
    if (!found) notFound.push(key);
  }
  const outFormat = opts.outputFormat === opts.inputFormat ? opened.format : await loadFormat(opts.outputFormat);
  if (outFormat !== opened.format) stripLayout(opened.documents);
  const dataKey = randomBytes(32);
  try {
    const metadata = opened.metadata;
    metadata.keyGroups = await wrapForGroups(dataKey, groups, metadata.shamirThreshold, opts.keyContext);
    const output = sealFile({
      documents: opened.documents,
      metadata,
      dataKey,
      format: outFormat,
      file: opts.file,
      ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
    });
    return { output, notFound };
  } finally {
    dataKey.fill(0);
  }
}
