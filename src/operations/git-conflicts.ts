import { mergeDocuments } from "../git/merge-tree.js";
import { detectFormat } from "../git/sniff.js";
import { UsageError } from "../errors.js";
import type { KeyContext } from "../keys/types.js";
import { formatPath, getPath, type PathSegment } from "../tree/paths.js";
import type { MapNode } from "../tree/types.js";
import { openThree } from "./git-merge.js";
import type { OpenedFile } from "./open-file.js";

export interface ConflictView {
  path: string;
  /** Each side's value in the file's format, or undefined where the key is absent. */
  base?: string;
  ours?: string;
  theirs?: string;
}

export interface GitConflictsOptions {
  base: Uint8Array;
  ours: Uint8Array;
  theirs: Uint8Array;
  path: string;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
}

/**
 * The values a merge could not reconcile, side by side, decrypted. Reads git's index
 * stages (given by the caller), so nothing about the conflict is ever written into the
 * encrypted file itself — comments can be plaintext under some selection rules, and
 * JSON has none.
 */
export async function gitConflicts(opts: GitConflictsOptions): Promise<ConflictView[]> {
  const fo = detectFormat(opts.ours, opts.path);
  const ft = detectFormat(opts.theirs, opts.path);
  if (!fo || !ft) throw new UsageError(`${opts.path}: ours or theirs is not a SOPS file`, { hint: "resolve it as a text conflict" });
  const fb = opts.base.length > 0 ? detectFormat(opts.base, opts.path) : undefined;
  const { ours, theirs, base } = await openThree(opts, { ours: fo, theirs: ft, base: fb }, []);
  try {
    const merged = mergeDocuments(base?.documents, ours.documents, theirs.documents);
    return merged.conflicts.map((path) => ({
      path: formatPath(path),
      ...side("base", base, path),
      ...side("ours", ours, path),
      ...side("theirs", theirs, path),
    }));
  } finally {
    for (const f of [ours, theirs, base]) f?.dataKey.fill(0);
  }
}

function side(name: "base" | "ours" | "theirs", file: OpenedFile | undefined, path: PathSegment[]): Partial<ConflictView> {
  const doc: MapNode | undefined = file?.documents[0];
  if (!file || !doc) return {};
  try {
    const node = getPath(doc, path);
    return { [name]: Buffer.from(file.format.emitValue(node, { file: "" })).toString("utf8") };
  } catch {
    return {};
  }
}
