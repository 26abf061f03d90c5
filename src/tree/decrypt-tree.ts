import { isUtf8 } from "node:buffer";
import { ENC_DATA_START, encTypeOfText, looksEncrypted } from "../crypto/cipher.js";
import { MacHasher } from "../crypto/mac.js";
import { EXIT, IntegrityError, inFile } from "../errors.js";
import type { IvMemory } from "./cipher-jobs.js";
import type { CipherWorker } from "./cipher-pool.js";
import { packedIvText, type PreparedDecrypt } from "./cipher-texts.js";
import { decryptBatch } from "./cipher-ranges-stream.js";
import { PlaintextTypeError, fromPlaintext, toPlaintext } from "./scalar-codec.js";
import { compileSelection, type SelectionOptions } from "./selection.js";
import type { Comment, Leaf, MapNode, Node } from "./types.js";
import { walkDocuments } from "./walk.js";
import { AadBytes } from "./aad-bytes.js";
import { PENDING_ENC, type EncRanges } from "./enc-ranges.js";

export interface DecryptTreeOptions {
  dataKey: Uint8Array;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  /** Records every decrypted value's IV so a later re-encryption can keep its ciphertext. */
  ivMemory?: IvMemory;
  file?: string;
  /** Non-fatal: comments that fail to decrypt are kept as they are (SOPS behaviour). */
  warn?: (message: string) => void;
  /** A cipher worker started early (`startCipherWorker`), e.g. before parsing a large file. */
  worker?: CipherWorker | undefined;
  /** The parser's table of values left as input byte ranges (their leaves are pending). */
  ranges?: EncRanges | undefined;
}

/**
 * Decrypt every selected leaf and comment in place (SOPS `Tree.Decrypt`) and return the
 * MAC recomputed over the plaintext values, in walk order.
 *
 * Per value the walk keeps only the ENC text, its AAD and target (parallel arrays, no
 * per-value objects); the texts are then checked and decoded in one batch
 * (`prepareDecryptTexts`), reporting the first malformed value as the walk would have.
 */
export function decryptTree(documents: MapNode[], opts: DecryptTreeOptions): string {
  const shouldEncrypt = compileSelection(opts.selection);
  // Sized once for every leaf and comment (a bound), trimmed after the walk: arrays grown
  // by `push` to 100k entries leave twice their size in discarded large backing stores,
  // which stay resident until a full GC (none may come before the process exits).
  const bound = countItems(documents);
  // Per job its ENC text, or (a number) its range in `opts.ranges`.
  const encs = new Array<string | number>(bound);
  const ranges = opts.ranges;
  let pending = 0;
  const textOf = (enc: string | number): string => (typeof enc === "number" ? ranges!.text(enc) : enc);
  // AADs as bytes for the batch; as strings too only to remember IVs under them.
  const aads = new AadBytes(bound);
  const aadTexts = opts.ivMemory ? new Array<string>(bound) : undefined;
  const targets = new Array<Leaf | Comment>(bound);
  let jobs = 0;
  // MAC contributions in walk order: a job index (≥ 0), or -(k+1) for macExtra[k].
  const macParts = new Int32Array(bound);
  let macCount = 0;
  const macExtra: Uint8Array[] = [];

  const addAad = (job: number, aad: string): void => {
    aads.push(aad);
    if (aadTexts) aadTexts[job] = aad;
  };

  walkDocuments(documents, {
    leaf(leaf, path, comments, aad) {
      const encrypted = shouldEncrypt(path, comments, false);
      const countsForMac = !opts.macOnlyEncrypted || encrypted;
      let range = -1;
      if (leaf.value === PENDING_ENC) {
        range = ranges ? ranges.indexOf(leaf, pending++) : -1;
        if (range < 0) throw new Error("internal: a pending ENC value without its range");
        if (!encrypted) {
          // Not decrypted (e.g. an `_unencrypted` value that looks like ENC): its text is its value.
          ranges!.materialise(range);
          range = -1;
        }
      }
      const value = leaf.value;
      if (range >= 0) {
        // A recorded range always starts with the ENC prefix (the parser checked).
        if (countsForMac) macParts[macCount++] = jobs;
        encs[jobs] = range;
        addAad(jobs, aad);
        targets[jobs++] = leaf;
        return;
      }
      if (!encrypted || (value.type === "str" && value.value === "")) {
        if (countsForMac) macParts[macCount++] = -macExtra.push(toPlaintext(value));
        return;
      }
      if (value.type !== "str" || !looksEncrypted(value.value)) {
        // The ENC texts are checked after the walk: one seen earlier may be malformed.
        refuseMalformed(documents, encs.slice(0, jobs), targets, (enc) => encTypeOfText(textOf(enc)), opts.file);
        throw new IntegrityError(inFile(opts.file, `value at "${path.join(".")}" is not encrypted`), {
          hint: "the file was edited by hand or is not a SOPS file; restore it from version control",
          exitCode: EXIT.ErrorDecryptingTree,
        });
      }
      // Legacy `type:comment` leaves are dropped from the MAC once their type is known.
      if (countsForMac) macParts[macCount++] = jobs;
      encs[jobs] = value.value;
      addAad(jobs, aad);
      targets[jobs++] = leaf;
    },
    comment(comment, path, comments, aad) {
      if (!shouldEncrypt(path, comments, true) || !looksEncrypted(comment.text)) return;
      encs[jobs] = comment.text;
      addAad(jobs, aad);
      targets[jobs++] = comment;
    },
  });
  encs.length = targets.length = jobs;
  if (aadTexts) aadTexts.length = jobs;

  const workerOpts = opts.worker ? { worker: opts.worker } : undefined;
  // The first malformed value (in walk order) is refused before this thread decrypts.
  const check = (types: readonly (string | undefined)[]): void => refuseMalformed(documents, encs, targets, (_, i) => types[i], opts.file);
  const { prepared, plain } = decryptBatch(opts.dataKey, encs, aads, ranges, workerOpts, check);
  // The input bytes are no longer needed (every range is packed or materialised).
  ranges?.dropSource();
  const types = prepared.types;
  // SOPS hashes the re-rendered typed value (e.g. a float "0.50" hashes as "0.5").
  const commentLeaves = new Map<Leaf, string>();
  const validUtf8 = new Map<Buffer, boolean>();
  const where = (i: number): string => pathOf(documents, targets[i]!);
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    // A malformed ENC comment is kept as it is (malformed values were refused above).
    if (types[i] === undefined) continue;
    // Comments are remembered (and re-encrypted) as type "comment" whatever their tag said.
    const type = target.kind === "comment" ? "comment" : types[i]!;
    const ok = plain.ok(i);
    const buf = plain.buffer(i);
    const a = plain.start(i);
    const b = plain.end(i);
    if (target.kind === "comment") {
      if (!ok) opts.warn?.(inFile(opts.file, `could not decrypt a comment in "${where(i) || "(top level)"}"; kept as is`));
      else target.text = buf.toString("utf8", a, b);
    } else if (type === "comment") {
      if (!ok) throw authFailure(opts.file, where(i));
      commentLeaves.set(target, buf.toString("utf8", a, b));
      // Replaced by a comment (or null) below; never left pending.
      if (target.value === PENDING_ENC) target.value = { type: "null" };
    } else {
      if (!ok) {
        throw new IntegrityError(inFile(opts.file, `value at "${where(i)}" failed authentication`), {
          hint: "the value, its key path or the data key was tampered with; restore the file from version control",
          exitCode: EXIT.ErrorDecryptingTree,
        });
      }
      if (type === "str" && wholeUtf8(buf, a, b, validUtf8)) {
        target.value = { type: "str", value: buf.toString("utf8", a, b) };
      } else {
        try {
          const plaintext = buf.subarray(a, b);
          target.value = fromPlaintext(type, plaintext);
        } catch (err) {
          const reason = err instanceof PlaintextTypeError ? err.message : "invalid value";
          throw new IntegrityError(inFile(opts.file, `value at "${where(i)}": ${reason}`), { exitCode: EXIT.ErrorDecryptingTree });
        }
      }
    }
    if (ok && opts.ivMemory) opts.ivMemory.rememberRange(aadTexts![i]!, type, buf, a, b, ivTextOf(encs[i]!, prepared, i));
  }

  if (commentLeaves.size > 0) convertCommentLeaves(documents, commentLeaves);
  ranges?.release();
  const mac = new MacHasher(opts.macOnlyEncrypted);
  // Consecutive plaintexts sit side by side in one buffer: hash them as one run.
  let runBuf: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;
  const flush = (): void => {
    if (runBuf) mac.update(runBuf.subarray(runStart, runEnd));
    runBuf = undefined;
  };
  for (let p = 0; p < macCount; p++) {
    const part = macParts[p]!;
    // SOPS ≤3.3 `type:comment` leaves decrypt to comments and, like all comments, stay out of the MAC.
    if (part >= 0 && types[part] === "comment") continue;
    // A typed value hashes as re-rendered (rendered here, not kept per value since the loop above).
    const bytes = part < 0 ? macExtra[-part - 1] : types[part] !== "str" ? toPlaintext((targets[part] as Leaf).value) : undefined;
    if (bytes) {
      flush();
      mac.update(bytes);
      continue;
    }
    const buf = plain.buffer(part);
    const a = plain.start(part);
    if (runBuf === buf && a === runEnd) runEnd = plain.end(part);
    else {
      flush();
      runBuf = buf;
      runStart = a;
      runEnd = plain.end(part);
    }
  }
  flush();
  const digest = mac.digestHex();
  plain.wipe();
  return digest;
}

/** Leaves and comments in the documents: a bound on the walk's jobs and MAC parts. */
function countItems(documents: readonly MapNode[]): number {
  let n = 0;
  const visit = (node: Node): void => {
    if (node.kind === "leaf") n++;
    else if (node.kind === "map") for (const item of node.items) item.kind === "entry" ? visit(item.value) : n++;
    else for (const item of node.items) item.kind === "comment" ? n++ : visit(item);
  };
  for (const doc of documents) visit(doc);
  return n;
}

/**
 * Throw for the first leaf (in walk order) whose ENC text is malformed (`typeOf` gives
 * `undefined`); malformed comments are not errors (they are kept as they are).
 */
function refuseMalformed<E>(documents: readonly MapNode[], encs: readonly E[], targets: readonly (Leaf | Comment)[], typeOf: (enc: E, i: number) => string | undefined, file?: string): void {
  for (let i = 0; i < encs.length; i++) {
    if (targets[i]!.kind !== "leaf" || typeOf(encs[i]!, i) !== undefined) continue;
    throw new IntegrityError(inFile(file, `malformed ENC[…] value at "${pathOf(documents, targets[i]!)}"`), {
      hint: "the value was truncated or edited by hand; restore it from version control",
      exitCode: EXIT.ErrorDecryptingTree,
    });
  }
}

/**
 * The base64 IV of job i: from its text, or (a range, whose text is not kept) re-encoded
 * from its decoded bytes, which gives the same text back (the check requires canonical base64).
 */
function ivTextOf(enc: string | number, prepared: PreparedDecrypt, i: number): string {
  if (typeof enc === "string") return ivText(enc);
  return packedIvText(prepared, i);
}

/** The base64 IV of a validated ENC text. */
function ivText(enc: string): string {
  const at = enc.indexOf(",iv:", ENC_DATA_START) + 4;
  return enc.slice(at, enc.indexOf(",tag:", at));
}

/**
 * Whether `buf[a..b)` decodes exactly as the strict TextDecoder in `fromPlaintext` would:
 * valid UTF-8 (the whole buffer is, and the range starts and ends on character
 * boundaries) and no leading BOM (which TextDecoder drops).
 */
function wholeUtf8(buf: Buffer, a: number, b: number, cache: Map<Buffer, boolean>): boolean {
  let valid = cache.get(buf);
  if (valid === undefined) cache.set(buf, (valid = isUtf8(buf)));
  if (!valid || a >= b) return false;
  if ((buf[a]! & 0xc0) === 0x80 || (b < buf.length && (buf[b]! & 0xc0) === 0x80)) return false;
  return !(buf[a] === 0xef && buf[a + 1] === 0xbb && buf[a + 2] === 0xbf && b - a >= 3);
}

/** Dotted key path of a node (for messages; only computed when something failed). */
function pathOf(documents: readonly MapNode[], target: Leaf | Comment): string {
  let found = "";
  walkDocuments(documents, {
    leaf(leaf, path) {
      if (leaf === target) found = path.join(".");
    },
    comment(comment, path) {
      if (comment === target) found = path.join(".");
    },
  });
  return found;
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
