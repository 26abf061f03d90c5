import { MacHasher } from "../crypto/mac.js";
import { IntegrityError, inFile } from "../errors.js";
import { EncryptBatch } from "./cipher-encrypt.js";
import type { EncryptInputs } from "./cipher-pack.js";
import type { IvMemory } from "./iv-memory.js";
import type { CipherWorker } from "./cipher-pool.js";
import { encTypeOf, toPlaintext, toPlaintextText } from "./scalar-codec.js";
import { compileSelection, type SelectionOptions } from "./selection.js";
import type { Comment, Leaf, MapNode } from "./types.js";
import { walkDocuments } from "./walk.js";

export interface EncryptTreeOptions {
  dataKey: Uint8Array;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  /** IVs of values decrypted earlier under the same data key (edit/set/merge): keeps their ciphertext. */
  ivMemory?: IvMemory;
  file?: string;
  /** A cipher worker started early (`startCipherWorker`), e.g. before parsing a large file. */
  worker?: CipherWorker | undefined;
}

/** The encrypt jobs of a tree, in document order, with the MAC over its plaintext values. */
export interface CollectedEncrypt {
  /** Uppercase hex SHA-512 (SOPS's MAC before it is encrypted). */
  macHex: string;
  inputs: EncryptInputs;
  /** Job i encrypts `targets[i]`: a leaf's value or a comment's text. */
  targets: (Leaf | Comment)[];
}

/**
 * Walk the tree once: the MAC over the plaintext values, and one job per selected,
 * non-empty leaf and comment (SOPS `Tree.Encrypt`). Nothing is encrypted yet.
 */
export function collectEncryptJobs(documents: MapNode[], opts: EncryptTreeOptions): CollectedEncrypt {
  const shouldEncrypt = compileSelection(opts.selection);
  const mac = new MacHasher(opts.macOnlyEncrypted);
  // Per job: plaintext, AAD, type and target in parallel arrays (no object per value).
  const plaintexts: (string | Uint8Array)[] = [];
  const aads: string[] = [];
  const types: string[] = [];
  const memory = opts.ivMemory;
  const reuseIvs: (Uint8Array | undefined)[] | undefined = memory ? [] : undefined;
  const targets: (Leaf | Comment)[] = [];

  walkDocuments(documents, {
    leaf(leaf, path, comments, aad) {
      const encrypted = shouldEncrypt(path, comments, false);
      const plaintext = toPlaintextText(leaf.value);
      if (!opts.macOnlyEncrypted || encrypted) mac.update(plaintext);
      if (!encrypted || plaintext.length === 0) return;
      const type = encTypeOf(leaf.value);
      if (memory) reuseIvs!.push(memory.recall(aad, type, typeof plaintext === "string" ? toPlaintext(leaf.value) : plaintext));
      plaintexts.push(plaintext);
      aads.push(aad);
      types.push(type);
      targets.push(leaf);
    },
    comment(comment, path, comments, aad) {
      if (comment.text.length === 0 || !shouldEncrypt(path, comments, true)) return;
      const plaintext = comment.text;
      if (memory) reuseIvs!.push(memory.recall(aad, "comment", Buffer.from(plaintext, "utf8")));
      plaintexts.push(plaintext);
      aads.push(aad);
      types.push("comment");
      targets.push(comment);
    },
  });
  return { macHex: mac.digestHex(), inputs: { plaintexts, aads, types, reuseIvs }, targets };
}

/**
 * Encrypt every selected leaf and comment in place (SOPS `Tree.Encrypt`) and return the
 * MAC (uppercase hex SHA-512) over the plaintext values. Empty strings stay empty.
 */
export function encryptTree(documents: MapNode[], opts: EncryptTreeOptions): string {
  const { macHex, inputs, targets } = collectEncryptJobs(documents, opts);
  const batch = new EncryptBatch(opts.dataKey, inputs, opts.worker ? { worker: opts.worker } : undefined);
  // Packed: let the inputs go before the texts are made and placed in the tree.
  releaseInputs(inputs);
  const encrypted = batch.texts();
  const pattern = opts.selection.unencryptedCommentRegex;
  if (pattern) {
    const check = markerGuard(pattern, opts.file);
    for (let i = 0; i < targets.length; i++) if (targets[i]!.kind === "comment") check(encrypted.text(i));
  }
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    if (target.kind === "leaf") target.value = { type: "str", value: encrypted.text(i) };
    else target.text = encrypted.text(i);
  }
  return macHex;
}

/** Empty the job arrays once packed (they hold a reference to every plaintext). */
export function releaseInputs(inputs: EncryptInputs): void {
  (inputs.plaintexts as unknown[]).length = (inputs.aads as unknown[]).length = (inputs.types as unknown[]).length = 0;
  if (inputs.reuseIvs) (inputs.reuseIvs as unknown[]).length = 0;
}

/**
 * A check for each encrypted comment's text: one that matches the "keep clear" regex
 * (`unencrypted_comment_regex`) would be read back as a marker, so it is refused.
 */
export function markerGuard(pattern: string, file?: string): (encryptedComment: string) => void {
  const re = new RegExp(pattern);
  return (text) => {
    if (re.test(text)) {
      throw new IntegrityError(inFile(file, "an encrypted comment would match unencrypted_comment_regex"), {
        hint: "use a regex that cannot match ENC[…] text, so encrypted comments are not mistaken for the marker",
        exitCode: 23,
      });
    }
  };
}
