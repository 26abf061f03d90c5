import type { FormatName } from "../formats/types.js";
import type { KeyContext } from "../keys/types.js";
import type { MapNode } from "../tree/types.js";
import { openEncryptedFile } from "./open-file.js";
import { sealFile } from "./seal-file.js";

/** Options shared by the commands that change an encrypted file in place. */
export interface ModifyOptions {
  input: Uint8Array;
  /** For messages. */
  file: string;
  format: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  indent?: number;
  /** Do not re-encrypt when nothing changed (`--idempotent`). */
  skipUnchanged?: boolean;
  now?: Date;
}

export interface ModifyResult {
  changed: boolean;
  /** The new file; undefined when unchanged and `skipUnchanged`. */
  output: Uint8Array | undefined;
}

/**
 * Decrypt, let `mutate` change the plaintext documents, and re-encrypt under the same
 * data key, reusing the IV of every value whose (path, type, plaintext) is unchanged:
 * those values keep their exact ciphertext, so a diff shows only what changed plus
 * `lastmodified` and `mac`.
 */
export async function modifyEncrypted(opts: ModifyOptions, mutate: (documents: MapNode[]) => boolean): Promise<ModifyResult> {
  const opened = await openEncryptedFile({
    input: opts.input,
    file: opts.file,
    format: opts.format,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  try {
    const changed = mutate(opened.documents);
    if (!changed && opts.skipUnchanged) return { changed, output: undefined };
    const output = sealFile({
      documents: opened.documents,
      metadata: opened.metadata,
      dataKey: opened.dataKey,
      format: opened.format,
      file: opts.file,
      ivMemory: opened.ivMemory,
      ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    return { changed, output };
  } finally {
    opened.dataKey.fill(0);
  }
}
