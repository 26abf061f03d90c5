import type { Format } from "../formats/types.js";
import { nowRfc3339 } from "../metadata/timestamps.js";
import { WRITTEN_VERSION, type Metadata } from "../metadata/types.js";
import type { IvMemory } from "../tree/cipher-jobs.js";
import type { CipherWorker } from "../tree/cipher-pool.js";
import { collectEncryptJobs, encryptTree, markerGuard } from "../tree/encrypt-tree.js";
import { emitDotenvSealed } from "../formats/dotenv/emit-sealed.js";
import type { MapNode } from "../tree/types.js";
import { attachMetadata, sealMac } from "./sops-document.js";
import { writeMetadata } from "../metadata/write.js";

export interface SealOptions {
  documents: MapNode[];
  metadata: Metadata;
  dataKey: Uint8Array;
  format: Format;
  file: string;
  indent?: number;
  ivMemory?: IvMemory;
  now?: Date;
  /** A cipher worker started early for a large file (`startCipherWorker`). */
  worker?: CipherWorker | undefined;
}

/**
 * Encrypt a plaintext tree under `dataKey`, stamp `lastmodified`, seal the MAC, attach
 * the metadata and emit the file. The metadata's key groups must already hold the
 * wrapped data key. The documents are consumed: encrypted in place, except for dotenv,
 * whose ENC texts are written straight into the output (`emitDotenvSealed`) and whose
 * tree is left holding the plaintext values, without the metadata.
 */
export function sealFile(opts: SealOptions): Uint8Array {
  const { metadata } = opts;
  const emitCtx = { file: opts.file, ...(opts.indent !== undefined ? { indent: opts.indent } : {}) };
  opts.format.prepare?.(opts.documents, emitCtx);
  const treeOpts = {
    dataKey: opts.dataKey,
    selection: metadata.selection,
    macOnlyEncrypted: metadata.macOnlyEncrypted,
    ...(opts.ivMemory ? { ivMemory: opts.ivMemory } : {}),
    file: opts.file,
    worker: opts.worker,
  };
  const doc = opts.documents[0];
  if (opts.format.name === "dotenv" && opts.documents.length === 1 && doc) {
    const { macHex, batch, targets } = collectEncryptJobs(opts.documents, treeOpts);
    stamp(opts, macHex);
    const pattern = metadata.selection.unencryptedCommentRegex;
    // The metadata goes straight to the emitter: attaching it would copy the item list.
    return emitDotenvSealed(doc, writeMetadata(metadata), opts.file, batch, targets, pattern ? markerGuard(pattern, opts.file) : undefined);
  }
  stamp(opts, encryptTree(opts.documents, treeOpts));
  attachMetadata(opts.documents, metadata);
  return opts.format.emit(opts.documents, emitCtx);
}

/** Stamp `lastmodified`, seal the MAC and set the version written. */
function stamp(opts: SealOptions, macHex: string): void {
  const { metadata } = opts;
  metadata.lastModified = nowRfc3339(opts.now);
  metadata.mac = sealMac(opts.dataKey, macHex, metadata.lastModified);
  if (!metadata.version || compareSemver(metadata.version, WRITTEN_VERSION) < 0) metadata.version = WRITTEN_VERSION;
}

function compareSemver(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
