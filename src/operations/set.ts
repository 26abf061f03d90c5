import type { PathSegment } from "../tree/paths.js";
import type { Node } from "../tree/types.js";
import { modifyEncrypted, type ModifyOptions, type ModifyResult } from "./modify.js";
import { setAtPath } from "./tree-edit.js";

export interface SetOptions extends ModifyOptions {
  path: readonly PathSegment[];
  value: Node;
}

/**
 * `sobre set`: put `value` at `path` in the first document (SOPS semantics: missing keys
 * are created, an index past the end appends). Every other value keeps its ciphertext.
 */
export function setValue(opts: SetOptions): Promise<ModifyResult> {
  return modifyEncrypted(opts, (documents) => setAtPath(documents[0]!, opts.path, opts.value));
}
