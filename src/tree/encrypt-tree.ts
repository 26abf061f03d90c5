import { MacHasher } from "../crypto/mac.js";
import { IntegrityError, inFile } from "../errors.js";
import { runEncryptJobs, type EncryptJob, type IvMemory } from "./cipher-jobs.js";
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
}

/**
 * Encrypt every selected leaf and comment in place (SOPS `Tree.Encrypt`) and return the
 * MAC (uppercase hex SHA-512) over the plaintext values. Empty strings stay empty.
 */
export function encryptTree(documents: MapNode[], opts: EncryptTreeOptions): string {
  const shouldEncrypt = compileSelection(opts.selection);
  const mac = new MacHasher(opts.macOnlyEncrypted);
  const jobs: EncryptJob[] = [];
  const targets: (Leaf | Comment)[] = [];

  walkDocuments(documents, {
    leaf(leaf, path, comments, aad) {
      const encrypted = shouldEncrypt(path, comments, false);
      const plaintext = toPlaintextText(leaf.value);
      if (!opts.macOnlyEncrypted || encrypted) mac.update(plaintext);
      if (!encrypted || plaintext.length === 0) return;
      const type = encTypeOf(leaf.value);
      const memory = opts.ivMemory;
      const reuseIv = memory ? memory.recall(aad, type, typeof plaintext === "string" ? toPlaintext(leaf.value) : plaintext) : undefined;
      jobs.push({ plaintext, aad, type, reuseIv });
      targets.push(leaf);
    },
    comment(comment, path, comments, aad) {
      if (comment.text.length === 0 || !shouldEncrypt(path, comments, true)) return;
      const plaintext = comment.text;
      const reuseIv = opts.ivMemory?.recall(aad, "comment", Buffer.from(plaintext, "utf8"));
      jobs.push({ plaintext, aad, type: "comment", reuseIv });
      targets.push(comment);
    },
  });

  const encrypted = runEncryptJobs(opts.dataKey, jobs);
  const guard = opts.selection.unencryptedCommentRegex;
  // An encrypted comment that matches the "keep clear" regex would be read back as a marker.
  if (guard) refuseMarkerCollision(encrypted, targets, guard, opts.file);
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    if (target.kind === "leaf") target.value = { type: "str", value: encrypted[i]! };
    else target.text = encrypted[i]!;
  }
  return mac.digestHex();
}

function refuseMarkerCollision(encrypted: readonly string[], targets: readonly (Leaf | Comment)[], pattern: string, file?: string): void {
  const re = new RegExp(pattern);
  for (let i = 0; i < targets.length; i++) {
    if (targets[i]!.kind === "comment" && re.test(encrypted[i]!)) {
      throw new IntegrityError(inFile(file, "an encrypted comment would match unencrypted_comment_regex"), {
        hint: "use a regex that cannot match ENC[…] text, so encrypted comments are not mistaken for the marker",
        exitCode: 23,
      });
    }
  }
}
