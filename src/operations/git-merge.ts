import type { FormatName } from "../formats/types.js";
import { mergeDocuments, nodesEqual } from "../git/merge-tree.js";
import { detectFormat } from "../git/sniff.js";
import type { KeyContext } from "../keys/types.js";
import type { Metadata } from "../metadata/types.js";
import { IvMemory } from "../tree/cipher-jobs.js";
import { formatPath } from "../tree/paths.js";
import type { MapNode } from "../tree/types.js";
import { openEncryptedFile, type OpenedFile } from "./open-file.js";
import { sealFile } from "./seal-file.js";

export interface GitMergeOptions {
  /** %O: the common ancestor (empty when both sides added the file). */
  base: Uint8Array;
  /** %A: our version; the result replaces it. */
  ours: Uint8Array;
  /** %B: their version. */
  theirs: Uint8Array;
  /** %P: the file's path in the repository (format detection, messages). */
  path: string;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
  now?: Date;
}

export type GitMergeResult =
  /** None of the three versions is a SOPS file: merge them as text instead. */
  | { kind: "not-sops" }
  | {
      kind: "merged";
      /** The bytes for %A: always a valid, decryptable file with a correct MAC. */
      output: Uint8Array;
      /** Conflicting value paths (ours kept); empty means a clean merge. */
      conflicts: string[];
      /** Informational lines (which side's keys were kept, base unreadable, …). */
      notes: string[];
    };

/**
 * SOPS-aware three-way merge (git's `merge.sobre.driver`): decrypt the three versions,
 * merge the value trees key by key, and re-encrypt under one side's data key, keeping
 * every unchanged value's ciphertext byte-identical. Never returns a silently wrong
 * file: anything it cannot merge is reported as a conflict.
 */
export async function gitMerge(opts: GitMergeOptions): Promise<GitMergeResult> {
  const fmtOurs = detectFormat(opts.ours, opts.path);
  const fmtTheirs = detectFormat(opts.theirs, opts.path);
  const fmtBase = opts.base.length > 0 ? detectFormat(opts.base, opts.path) : undefined;
  if (!fmtOurs && !fmtTheirs && !fmtBase) return { kind: "not-sops" };
  if (!fmtOurs || !fmtTheirs || (opts.base.length > 0 && !fmtBase)) {
    const plain = [!fmtOurs && "ours", !fmtTheirs && "theirs", opts.base.length > 0 && !fmtBase && "base"].filter(Boolean).join(", ");
    return { kind: "merged", output: opts.ours, conflicts: [`(whole file: ${plain} not encrypted)`], notes: [] };
  }
  const notes: string[] = [];
  const { ours, theirs, base } = await openThree(opts, { ours: fmtOurs, theirs: fmtTheirs, base: fmtBase }, notes);
  try {
    return mergeOpened(opts, ours, theirs, base, notes);
  } finally {
    for (const f of [ours, theirs, base]) f?.dataKey.fill(0);
  }
}

/** Decrypt ours, theirs and (if present and readable) base, reusing data keys across them. */
export async function openThree(
  opts: Pick<GitMergeOptions, "base" | "ours" | "theirs" | "path" | "keyContext" | "decryptionOrder">,
  formats: { ours: FormatName; theirs: FormatName; base: FormatName | undefined },
  notes: string[],
): Promise<{ ours: OpenedFile; theirs: OpenedFile; base: OpenedFile | undefined }> {
  const ours = await open(opts, opts.ours, formats.ours, "ours", []);
  const theirs = await open(opts, opts.theirs, formats.theirs, "theirs", [ours.dataKey]);
  let base: OpenedFile | undefined;
  if (formats.base) {
    try {
      base = await open(opts, opts.base, formats.base, "base", [ours.dataKey, theirs.dataKey]);
    } catch {
      notes.push("the common ancestor could not be decrypted: every difference is treated as a conflict");
    }
  }
  return { ours, theirs, base };
}

function mergeOpened(opts: GitMergeOptions, ours: OpenedFile, theirs: OpenedFile, base: OpenedFile | undefined, notes: string[]): GitMergeResult {
  const tree = mergeDocuments(base?.documents, ours.documents, theirs.documents);
  const conflicts = tree.conflicts.map(formatPath);
  // Whose keys (data key + recipients + options) the result uses.
  let side: "ours" | "theirs" = "ours";
  if (!sameKeys(ours, theirs)) {
    if (base && sameKeys(base, theirs)) side = "ours";
    else if (base && sameKeys(base, ours)) {
      side = "theirs";
      notes.push("their side changed the file's keys (rotate/updatekeys): the result uses theirs");
    } else {
      conflicts.push('["sops"] (both sides changed the keys or encryption options; ours kept)');
    }
  }
  const chosen = side === "ours" ? ours : theirs;
  const chosenBytes = side === "ours" ? opts.ours : opts.theirs;
  if (conflicts.length === 0 && documentsEqual(tree.documents, chosen.documents)) {
    return { kind: "merged", output: chosenBytes, conflicts, notes };
  }
  const memories = [ours, theirs, base].filter((f): f is OpenedFile => !!f && Buffer.from(f.dataKey).equals(Buffer.from(chosen.dataKey)));
  const output = sealFile({
    documents: tree.documents,
    metadata: chosen.metadata,
    dataKey: chosen.dataKey,
    format: chosen.format,
    file: opts.path,
    ivMemory: new ChainedIvMemory(memories.map((f) => f.ivMemory)),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { kind: "merged", output, conflicts, notes };
}

/** Decrypt one version, trying data keys already recovered first (the usual case: no rotation). */
async function open(opts: Pick<GitMergeOptions, "path" | "keyContext" | "decryptionOrder">, bytes: Uint8Array, format: FormatName, label: string, knownKeys: Uint8Array[]): Promise<OpenedFile> {
  const file = `${opts.path} (${label})`;
  const quiet = { ...opts.keyContext, warn: () => {} };
  for (const dataKey of knownKeys) {
    try {
      return await openEncryptedFile({ input: bytes, file, format, keyContext: quiet, dataKey: Uint8Array.from(dataKey) });
    } catch {
      // another data key: unwrap it below
    }
  }
  return openEncryptedFile({
    input: bytes,
    file,
    format,
    keyContext: opts.keyContext,
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
}

function sameKeys(a: OpenedFile, b: OpenedFile): boolean {
  return Buffer.from(a.dataKey).equals(Buffer.from(b.dataKey)) && metadataSignature(a.metadata) === metadataSignature(b.metadata);
}

/** Recipients per group and the options that change how values are encrypted. */
function metadataSignature(m: Metadata): string {
  const groups = m.keyGroups.map((g) => g.map((k) => `${k.type}:${k.wrapped?.key.id ?? JSON.stringify(k.record)}`).sort());
  return JSON.stringify({ groups, t: m.shamirThreshold, s: m.selection, mo: m.macOnlyEncrypted });
}

function documentsEqual(a: readonly MapNode[], b: readonly MapNode[]): boolean {
  return a.length === b.length && a.every((doc, i) => nodesEqual(doc, b[i]!, true));
}

/** Recalls IVs from several runs' memories (all under the same data key). */
class ChainedIvMemory extends IvMemory {
  constructor(private readonly chain: readonly IvMemory[]) {
    super();
  }

  override recall(aad: string, type: string, plaintext: Uint8Array): Uint8Array | undefined {
    for (const m of this.chain) {
      const iv = m.recall(aad, type, plaintext);
      if (iv) return iv;
    }
    return undefined;
  }
}
