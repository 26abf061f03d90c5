import type { PathSegment } from "../tree/paths.js";
import { modifyEncrypted, type ModifyOptions, type ModifyResult } from "./modify.js";
import { PathNotFoundError, unsetAtPath } from "./tree-edit.js";

export interface UnsetOptions extends ModifyOptions {
  path: readonly PathSegment[];
  /** A missing path is not an error: report `changed: false` instead. */
  idempotent?: boolean;
}

/** `sobre unset`: remove the key or list item at `path` from the first document. */
export function unsetValue(opts: UnsetOptions): Promise<ModifyResult> {
  return modifyEncrypted({ ...opts, skipUnchanged: opts.idempotent ?? false }, (documents) => {
    try {
      unsetAtPath(documents[0]!, opts.path);
      return true;
    } catch (err) {
      if (opts.idempotent && err instanceof PathNotFoundError) return false;
      throw err;
    }
  });
}
