import { UsageError } from "../errors.js";
import { compileRe2 } from "./re2.js";

/** The six SOPS options deciding which values are encrypted; at most one may be set. */
export interface SelectionOptions {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  unencryptedCommentRegex?: string;
  encryptedCommentRegex?: string;
}

/** Metadata key for each option, as written on disk. */
export const SELECTION_KEYS = {
  unencryptedSuffix: "unencrypted_suffix",
  encryptedSuffix: "encrypted_suffix",
  unencryptedRegex: "unencrypted_regex",
  encryptedRegex: "encrypted_regex",
  unencryptedCommentRegex: "unencrypted_comment_regex",
  encryptedCommentRegex: "encrypted_comment_regex",
} as const satisfies Record<keyof SelectionOptions, string>;

export const DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

export type ShouldEncrypt = (path: readonly string[], comments: readonly (readonly string[])[], isComment: boolean) => boolean;

/** Which options are set (non-empty), in a stable order. */
export function setSelectionKeys(opts: SelectionOptions): (keyof SelectionOptions)[] {
  return (Object.keys(SELECTION_KEYS) as (keyof SelectionOptions)[]).filter((k) => !!opts[k]);
}

/** Apply the SOPS default (`_unencrypted` suffix) when no option is set; reject two at once. */
export function normalizeSelection(opts: SelectionOptions): SelectionOptions {
  const set = setSelectionKeys(opts);
  if (set.length > 1) {
    throw new UsageError(`only one of ${set.map((k) => SELECTION_KEYS[k]).join(", ")} can be used`, {
      hint: "pick one selection option (flag or .sops.yaml rule)",
    });
  }
  if (set.length === 0) return { unencryptedSuffix: DEFAULT_UNENCRYPTED_SUFFIX };
  const key = set[0]!;
  return { [key]: opts[key] };
}

function regexOrThrow(option: string, pattern: string): RegExp {
  const r = compileRe2(pattern);
  if (!r.ok) throw new UsageError(`invalid ${option} ${JSON.stringify(pattern)}: ${r.error}`, { hint: "fix the regular expression (Go RE2 syntax)" });
  return r.regex;
}

/** Build the predicate SOPS's `shouldBeEncrypted` implements, for already normalized options. */
export function compileSelection(opts: SelectionOptions): ShouldEncrypt {
  const o = normalizeSelection(opts);
  // The per-key tests are made once here: a closure created inside the predicate would be
  // allocated on every call (once per value of a large file).
  if (o.unencryptedSuffix) {
    const s = o.unencryptedSuffix;
    const marked = (k: string): boolean => k.endsWith(s);
    return (path) => !path.some(marked);
  }
  if (o.encryptedSuffix) {
    const s = o.encryptedSuffix;
    const marked = (k: string): boolean => k.endsWith(s);
    return (path) => path.some(marked);
  }
  if (o.unencryptedRegex) {
    const re = regexOrThrow("unencrypted_regex", o.unencryptedRegex);
    const marked = (k: string): boolean => re.test(k);
    return (path) => !path.some(marked);
  }
  if (o.encryptedRegex) {
    const re = regexOrThrow("encrypted_regex", o.encryptedRegex);
    const marked = (k: string): boolean => re.test(k);
    return (path) => path.some(marked);
  }
  if (o.unencryptedCommentRegex) {
    const re = regexOrThrow("unencrypted_comment_regex", o.unencryptedCommentRegex);
    const marked = (c: string): boolean => re.test(c);
    const levelMarked = (level: readonly string[]): boolean => level.some(marked);
    return (_path, stack) => !stack.some(levelMarked);
  }
  const re = regexOrThrow("encrypted_comment_regex", o.encryptedCommentRegex!);
  return (_path, stack, isComment) => {
    const lastLevel = stack.length - 1;
    for (let i = 0; i < stack.length; i++) {
      const level = stack[i]!;
      for (let j = 0; j < level.length; j++) {
        // The marker comment itself stays clear; only comments after it are encrypted.
        if (isComment && i === lastLevel && j === level.length - 1) continue;
        if (re.test(level[j]!)) return true;
      }
    }
    return false;
  };
}
