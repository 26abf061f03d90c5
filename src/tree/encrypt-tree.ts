import { MacHasher } from "../crypto/mac.js";
import { IntegrityError, inFile } from "../errors.js";
import { EncryptBatch, encryptAlloc } from "./cipher-encrypt.js";
import { EncryptPacker } from "./encrypt-packer.js";
import type { IvMemory } from "./iv-memory.js";
import type { CipherWorker } from "./cipher-pool.js";
import { encTypeOf, toPlaintext, toPlaintextText } from "./scalar-codec.js";
import { compileSelection, type SelectionOptions } from "./selection.js";
import type { Comment, Leaf, MapNode, Node } from "./types.js";
import { aadText, walkDocumentParts } from "./walk.js";

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

/** The encrypt jobs of a tree, in document order, packed, with the MAC over its plaintext values. */
export interface CollectedEncrypt {
  /** Uppercase hex SHA-512 (SOPS's MAC before it is encrypted). */
  macHex: string;
  batch: EncryptBatch;
  /** Job i encrypts `targets[i]`: a leaf's value or a comment's text. */
  targets: (Leaf | Comment)[];
}

/**
 * The MAC over the plaintext values, and one job per selected, non-empty leaf and
 * comment (SOPS `Tree.Encrypt`), packed into a batch. Nothing is encrypted yet.
 *
 * The tree is walked twice: the first walk decides (selection, MAC, reused IVs) and
 * measures each job, the second writes its AAD and plaintext straight into the packed
 * buffer (`EncryptPacker`). No array of plaintexts, AAD strings or types is kept: for a
 * large file that is old-space memory held through the cipher phase.
 */
export function collectEncryptJobs(documents: MapNode[], opts: EncryptTreeOptions): CollectedEncrypt {
  const shouldEncrypt = compileSelection(opts.selection);
  const mac = new MacHasher(opts.macOnlyEncrypted);
  const memory = opts.ivMemory;
  const cipherOpts = opts.worker ? { worker: opts.worker } : undefined;
  const bound = countItems(documents);
  const packer = new EncryptPacker(bound, encryptAlloc(bound, cipherOpts));
  // Per visited leaf or comment (walk order): 1 when it is a job.
  const isJob = new Uint8Array(bound);
  const targets = new Array<Leaf | Comment>(bound);
  let visit = 0;

  walkDocumentParts(documents, {
    leaf(leaf, path, comments, head, key) {
      const v = visit++;
      const encrypted = shouldEncrypt(path, comments, false);
      const plaintext = toPlaintextText(leaf.value);
      if (!opts.macOnlyEncrypted || encrypted) mac.update(plaintext);
      if (!encrypted || plaintext.length === 0) return;
      const type = encTypeOf(leaf.value);
      const reuse = memory?.recall(aadText(head, key), type, typeof plaintext === "string" ? toPlaintext(leaf.value) : plaintext);
      targets[packer.jobs] = leaf;
      packer.measure(head, key, plaintext, type, reuse);
      isJob[v] = 1;
    },
    comment(comment, path, comments, head) {
      const v = visit++;
      if (comment.text.length === 0 || !shouldEncrypt(path, comments, true)) return;
      const plaintext = comment.text;
      const reuse = memory?.recall(head, "comment", Buffer.from(plaintext, "utf8"));
      targets[packer.jobs] = comment;
      packer.measure(head, undefined, plaintext, "comment", reuse);
      isJob[v] = 1;
    },
  });
  targets.length = packer.jobs;
  visit = 0;
  walkDocumentParts(documents, {
    leaf(leaf, _path, _comments, head, key) {
      if (isJob[visit++] === 1) packer.write(head, key, toPlaintextText(leaf.value));
    },
    comment(comment, _path, _comments, head) {
      if (isJob[visit++] === 1) packer.write(head, undefined, comment.text);
    },
  });
  return { macHex: mac.digestHex(), batch: new EncryptBatch(opts.dataKey, packer.finish(), cipherOpts), targets };
}

/** Leaves and comments in the documents: a bound on the jobs (arrays sized once). */
function countItems(documents: readonly MapNode[]): number {
  let n = 0;
  const visit = (node: Node): void => {
    if (node.kind === "leaf") n++;
    else if (node.kind === "map") {
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        if (item.kind === "entry") visit(item.value);
        else n++;
      }
    } else {
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        if (item.kind === "comment") n++;
        else visit(item);
      }
    }
  };
  for (const doc of documents) visit(doc);
  return n;
}

/**
 * Encrypt every selected leaf and comment in place (SOPS `Tree.Encrypt`) and return the
 * MAC (uppercase hex SHA-512) over the plaintext values. Empty strings stay empty.
 */
export function encryptTree(documents: MapNode[], opts: EncryptTreeOptions): string {
  const { macHex, batch, targets } = collectEncryptJobs(documents, opts);
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
