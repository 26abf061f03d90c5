/**
 * Encrypted dotenv output with the ENC texts written straight into the file's bytes.
 *
 * `sealFile` normally encrypts into strings placed in the tree, then the emitter copies
 * them into the output: for a 100k-value file that is the ciphertext three times over
 * (cipher buffer, a 15 MB string, the output). Here the line layout is computed first —
 * every ENC text's length is known once its job is packed — so the file is sized
 * exactly, the cipher threads write each ENC text at its final offset, and the rest of
 * each line (`KEY=`, `#`, newlines, the `sops_…` lines) is filled in around them. The
 * bytes are those of `emitDotenvParts` in encrypted mode (tests compare both).
 *
 * Job j must be `targets[j]` (collected in document order, which is line order here);
 * anything else is an internal error, thrown before any bytes leave.
 */
import type { EncryptBatch } from "../../tree/cipher-encrypt.js";
import type { Comment, Leaf, MapEntry, MapNode } from "../../tree/types.js";
import { flattenMetadata, scalarToText } from "../flatten.js";
import { DotenvCommentSrc, DotenvDocSrc, DotenvEntrySrc, type RawText } from "./layout.js";
import { leafOf, plainValue, refuseMetadataKey } from "./emit.js";
import { utf8Length, writeUtf8 } from "../../tree/text-bytes.js";

/** Receives a file's pieces in order: text, and the ENC text of job `j`. */
interface Sink {
  text(t: RawText): void;
  slot(j: number): void;
}

/** Walk an encrypted dotenv document as `emitDotenvParts` does; returns the jobs placed. */
function render(doc: MapNode, sops: MapNode, file: string, targets: readonly (Leaf | Comment)[], sink: Sink): number {
  // Entries named `sops` are left out, as attaching the metadata would replace them.
  const isSops = (item: MapEntry | Comment): boolean => item.kind === "entry" && item.key === "sops";
  const items = doc.items;
  let j = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (isSops(item)) continue;
    const src = item.src instanceof DotenvEntrySrc || item.src instanceof DotenvCommentSrc ? item.src : undefined;
    if (src?.pre) sink.text("\n".repeat(src.pre.split("\n").length - 1));
    if (item.kind === "comment") {
      sink.text("#");
      if (targets[j] === item) sink.slot(j++);
      else sink.text(item.text);
      // Always a newline: the sops_ lines follow (a file ending in a comment without one
      // would glue the metadata onto the comment and lose the data key).
      sink.text("\n");
      continue;
    }
    refuseMetadataKey(item.key, file);
    const leaf = leafOf(item, file);
    sink.text(item.key);
    sink.text("=");
    if (targets[j] === leaf) sink.slot(j++);
    else sink.text(plainValue(scalarToText(leaf.value)));
    sink.text("\n");
  }
  if (doc.src instanceof DotenvDocSrc && doc.src.tail) sink.text("\n".repeat(doc.src.tail.split("\n").length - 1));
  for (const [key, value] of flattenMetadata(sops, "sops_")) {
    sink.text(key);
    sink.text("=");
    sink.text(plainValue(value));
    sink.text("\n");
  }
  return j;
}

/**
 * Encrypt `batch` (job j = `targets[j]`) into the encrypted dotenv file of `doc` with the
 * metadata `sops` (the node `attachMetadata` would add). `check(text)` sees each
 * encrypted comment's text.
 * The result may be a view of shared memory (when a worker thread helped).
 */
export function emitDotenvSealed(doc: MapNode, sops: MapNode, file: string, batch: EncryptBatch, targets: readonly (Leaf | Comment)[], check?: (comment: string) => void): Uint8Array {
  const count = batch.count;
  const at = batch.offsets();
  // Pass 1: sizes. ASCII text is measured and copied in JavaScript, with no string built
  // per line (see tree/text-bytes.ts for why the main thread should allocate little).
  let size = 0;
  const placed = render(doc, sops, file, targets, {
    text(t) {
      size += typeof t === "string" ? utf8Length(t) : t.length;
    },
    slot(j) {
      at[j] = size;
      size += batch.textLength(j);
    },
  });
  if (placed !== count) throw new Error(`internal error: ${count - placed} encrypted values of ${file} have no place in its dotenv layout`);
  at[count] = size;
  const out = batch.buffer(size);
  // Pass 2, everything around the ENC texts, while the cipher worker writes them.
  let pos = 0;
  const pass2 = (): void => {
    render(doc, sops, file, targets, {
      text(t) {
        if (typeof t === "string") pos = writeUtf8(out, t, pos);
        else {
          out.set(t, pos);
          pos += t.length;
        }
      },
      slot(j) {
        if (pos !== at[j]) throw new Error(`internal error: the dotenv layout of ${file} changed between passes`);
        pos += batch.textLength(j);
      },
    });
    if (pos !== size) throw new Error(`internal error: the dotenv layout of ${file} changed between passes`);
  };
  batch.run(out, at, pass2);
  if (check) {
    for (let j = 0; j < count; j++) if (targets[j]!.kind === "comment") check(out.toString("latin1", at[j], at[j]! + batch.textLength(j)));
  }
  // A plain Uint8Array view, as the other emitters return.
  return new Uint8Array(out.buffer, out.byteOffset, size);
}
