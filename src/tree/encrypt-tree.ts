import { MacHasher } from "../crypto/mac.js";
import { IntegrityError, inFile } from "../errors.js";
import { runEncryptTexts, type EncryptedTexts } from "./cipher-encrypt.js";
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

/**
 * Encrypt every selected leaf and comment in place (SOPS `Tree.Encrypt`) and return the
 * MAC (uppercase hex SHA-512) over the plaintext values. Empty strings stay empty.
 */
export function encryptTree(documents: MapNode[], opts: EncryptTreeOptions): string {
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

  const encrypted = runEncryptTexts(opts.dataKey, { plaintexts, aads, types, reuseIvs }, opts.worker ? { worker: opts.worker } : undefined);
  // Let the inputs go before the texts are placed in the tree.
  plaintexts.length = aads.length = types.length = 0;
  const guard = opts.selection.unencryptedCommentRegex;
  // An encrypted comment that matches the "keep clear" regex would be read back as a marker.
  if (guard) refuseMarkerCollision(encrypted, targets, guard, opts.file);
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    if (target.kind === "leaf") target.value = { type: "str", value: encrypted.text(i) };
    else target.text = encrypted.text(i);
  }
  return mac.digestHex();
}

function refuseMarkerCollision(encrypted: EncryptedTexts, targets: readonly (Leaf | Comment)[], pattern: string, file?: string): void {
  const re = new RegExp(pattern);
  for (let i = 0; i < targets.length; i++) {
    if (targets[i]!.kind === "comment" && re.test(encrypted.text(i))) {
      throw new IntegrityError(inFile(file, "an encrypted comment would match unencrypted_comment_regex"), {
        hint: "use a regex that cannot match ENC[…] text, so encrypted comments are not mistaken for the marker",
        exitCode: 23,
      });
    }
  }
}
