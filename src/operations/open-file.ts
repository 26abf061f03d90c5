import type { Format, FormatName } from "../formats/types.js";
import { loadFormat } from "../formats/registry.js";
import { unwrapDataKey } from "../keys/groups.js";
import type { KeyContext } from "../keys/types.js";
import type { Metadata } from "../metadata/types.js";
import { IvMemory } from "../tree/cipher-jobs.js";
import { withEarlyCipherWorker, type CipherWorker } from "../tree/cipher-pool.js";
import { decryptTree } from "../tree/decrypt-tree.js";
import type { EncRanges } from "../tree/enc-ranges.js";
import type { MapNode } from "../tree/types.js";
import { detachMetadata, verifyMac } from "./sops-document.js";

export interface OpenOptions {
  input: Uint8Array;
  /** For messages. */
  file: string;
  format: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  /** Reuse an already known data key (e.g. merge driver, tests). */
  dataKey?: Uint8Array;
  /**
   * False when nothing will be re-encrypted (plain `decrypt`): skips recording every
   * value's IV, and `ivMemory` comes back empty. Default true.
   */
  rememberIvs?: boolean;
}

/** A decrypted file in memory: plaintext tree, its metadata and data key. */
export interface OpenedFile {
  format: Format;
  documents: MapNode[];
  metadata: Metadata;
  dataKey: Uint8Array;
  /** IVs of every decrypted value, so re-encryption keeps unchanged ciphertext. */
  ivMemory: IvMemory;
}

/** Parse an encrypted file, recover its data key, decrypt it and verify the MAC. */
export async function openEncryptedFile(opts: OpenOptions): Promise<OpenedFile> {
  // A large file: the cipher worker boots while the file is parsed and the key unwrapped.
  return withEarlyCipherWorker(opts.input.length, "encrypted", (worker) => open(opts, worker));
}

async function open(opts: OpenOptions, worker: CipherWorker | undefined): Promise<OpenedFile> {
  const format = await loadFormat(opts.format);
  // ENC values the parser leaves in the input bytes (pending leaves): decryptTree takes them there.
  let ranges: EncRanges | undefined;
  const documents = await format.parse(opts.input, { file: opts.file, mode: "encrypted", encRanges: (r) => (ranges = r) });
  const metadata = detachMetadata(documents, opts.file);
  const dataKey = opts.dataKey ?? (await unwrapDataKey(metadata.keyGroups, metadata.shamirThreshold, opts.keyContext, opts.decryptionOrder));
  const ivMemory = new IvMemory();
  try {
    const mac = decryptTree(documents, {
      worker,
      ranges,
      dataKey,
      selection: metadata.selection,
      macOnlyEncrypted: metadata.macOnlyEncrypted,
      ...(opts.rememberIvs === false ? {} : { ivMemory }),
      file: opts.file,
      warn: opts.keyContext.warn,
    });
    if (!opts.ignoreMac) verifyMac(dataKey, metadata, mac, opts.file);
  } catch (err) {
    // A tampered file must not leave the data key in memory: the caller never gets it.
    if (!opts.dataKey) dataKey.fill(0);
    throw err;
  }
  return { format, documents, metadata, dataKey, ivMemory };
}
