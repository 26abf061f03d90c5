import { looksEncrypted, parseEnc } from "../crypto/cipher.js";
import { MacHasher } from "../crypto/mac.js";
import { EXIT, IntegrityError, inFile } from "../errors.js";
import { runDecryptJobs, type DecryptJob, type IvMemory } from "./cipher-jobs.js";
import { PlaintextTypeError, fromPlaintext, toPlaintext } from "./scalar-codec.js";
import { compileSelection, type SelectionOptions } from "./selection.js";
import type { Comment, Leaf, MapNode, Node } from "./types.js";
import { aadOf, walkDocuments } from "./walk.js";

export interface DecryptTreeOptions {
  dataKey: Uint8Array;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  /** Records every decrypted value's IV so a later re-encryption can keep its ciphertext. */
  ivMemory?: IvMemory;
  file?: string;
  /** Non-fatal: comments that fail to decrypt are kept as they are (SOPS behaviour). */
  warn?: (message: string) => void;
}

interface Pending {
  target: Leaf | Comment;
  path: string;
  type: string;
}

/**
 * Decrypt every selected leaf and comment in place (SOPS `Tree.Decrypt`) and return the
 * MAC recomputed over the plaintext values, in walk order.
 */
export function decryptTree(documents: MapNode[], opts: DecryptTreeOptions): string {
  const shouldEncrypt = compileSelection(opts.selection);
  const jobs: DecryptJob[] = [];
  const pending: Pending[] = [];
  // MAC contributions in walk order: bytes known now, or an index into jobs.
  const macParts: (Uint8Array | number)[] = [];

  walkDocuments(documents, {
    leaf(leaf, path, comments) {
      const encrypted = shouldEncrypt(path, comments, false);
      const countsForMac = !opts.macOnlyEncrypted || encrypted;
      const value = leaf.value;
      if (!encrypted || (value.type === "str" && value.value === "")) {
        if (countsForMac) macParts.push(toPlaintext(value));
        return;
      }
      const where = path.join(".");
      if (value.type !== "str" || !looksEncrypted(value.value)) {
        throw new IntegrityError(inFile(opts.file, `value at "${where}" is not encrypted`), {
          hint: "the file was edited by hand or is not a SOPS file; restore it from version control",
          exitCode: EXIT.ErrorDecryptingTree,
        });
      }
      const parsed = parseEnc(value.value);
      if (!parsed) {
        throw new IntegrityError(inFile(opts.file, `malformed ENC[…] value at "${where}"`), {
          hint: "the value was truncated or edited by hand; restore it from version control",
          exitCode: EXIT.ErrorDecryptingTree,
        });
      }
      // SOPS ≤3.3 wrote some comments as list items with type:comment; they decrypt to
      // comments and, like all comments, stay out of the MAC.
      if (countsForMac && parsed.type !== "comment") macParts.push(jobs.length);
      jobs.push({ parsed, aad: aadOf(path) });
      pending.push({ target: leaf, path: where, type: parsed.type });
    },
    comment(comment, path, comments) {
      if (!shouldEncrypt(path, comments, true) || !looksEncrypted(comment.text)) return;
      const parsed = parseEnc(comment.text);
      if (!parsed) return;
      jobs.push({ parsed, aad: aadOf(path) });
      pending.push({ target: comment, path: path.join("."), type: "comment" });
    },
  });

  const plaintexts = runDecryptJobs(opts.dataKey, jobs);
  // SOPS hashes the re-rendered typed value (e.g. a float "0.50" hashes as "0.5").
  const macBytes = new Array<Uint8Array | undefined>(jobs.length);
  const commentLeaves = new Map<Leaf, string>();
  for (let i = 0; i < pending.length; i++) {
    const { target, path, type } = pending[i]!;
    const plaintext = plaintexts[i];
    if (target.kind === "comment") {
      if (plaintext === undefined) opts.warn?.(inFile(opts.file, `could not decrypt a comment in "${path || "(top level)"}"; kept as is`));
      else target.text = plaintext.toString("utf8");
    } else if (type === "comment") {
      if (plaintext === undefined) throw authFailure(opts.file, path);
      commentLeaves.set(target, plaintext.toString("utf8"));
    } else {
      if (plaintext === undefined) {
        throw new IntegrityError(inFile(opts.file, `value at "${path}" failed authentication`), {
          hint: "the value, its key path or the data key was tampered with; restore the file from version control",
          exitCode: EXIT.ErrorDecryptingTree,
        });
      }
      try {
        target.value = fromPlaintext(type, plaintext);
        macBytes[i] = type === "str" ? plaintext : toPlaintext(target.value);
      } catch (err) {
        const reason = err instanceof PlaintextTypeError ? err.message : "invalid value";
        throw new IntegrityError(inFile(opts.file, `value at "${path}": ${reason}`), { exitCode: EXIT.ErrorDecryptingTree });
      }
    }
    if (plaintext !== undefined) opts.ivMemory?.remember(jobs[i]!.aad, type, plaintext, jobs[i]!.parsed.iv);
  }

  if (commentLeaves.size > 0) convertCommentLeaves(documents, commentLeaves);
  const mac = new MacHasher(opts.macOnlyEncrypted);
  for (const part of macParts) mac.update(typeof part === "number" ? macBytes[part]! : part);
  const digest = mac.digestHex();
  for (const p of plaintexts) p?.fill(0);
  return digest;
}

function authFailure(file: string | undefined, path: string): IntegrityError {
  return new IntegrityError(inFile(file, `value at "${path}" failed authentication`), {
    hint: "the value, its key path or the data key was tampered with; restore the file from version control",
    exitCode: EXIT.ErrorDecryptingTree,
  });
}

/** Turn legacy `type:comment` list items into comment nodes (a map value becomes null). */
function convertCommentLeaves(documents: MapNode[], leaves: Map<Leaf, string>): void {
  const visit = (node: Node): void => {
    if (node.kind === "leaf") return;
    if (node.kind === "seq") {
      node.items = node.items.map((item) => {
        if (item.kind === "leaf" && leaves.has(item)) return { kind: "comment", text: leaves.get(item)! } satisfies Comment;
        if (item.kind !== "comment") visit(item);
        return item;
      });
      return;
    }
    for (const item of node.items) {
      if (item.kind !== "entry") continue;
      if (item.value.kind === "leaf" && leaves.has(item.value)) item.value = { kind: "leaf", value: { type: "null" } };
      else visit(item.value);
    }
  };
  for (const doc of documents) visit(doc);
}
