import { UsageError } from "../../errors.js";

/**
 * GnuPG's "exactly this (sub)key" suffix. SOPS keeps it in the stored `fp` and passes it
 * through to gpg, so we do too.
 */
export const EXACT_SUFFIX = "!";

/** 16 hex = long key id (legacy SOPS files), 40 = v4 fingerprint, 64 = v5/v6 fingerprint. */
const VALID = /^(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})!?$/;

/**
 * Normalize one fingerprint typed by a user (flag, env var, `.sops.yaml`): drop whitespace
 * (SOPS strips spaces so `gpg --fingerprint` output can be pasted) and a `0x` prefix.
 * Case is kept, as SOPS keeps it. Throws UsageError for anything that is not hex.
 */
export function parseFingerprint(input: string): string {
  let fp = input.replace(/\s+/g, "");
  if (/^0x/i.test(fp)) fp = fp.slice(2);
  if (!VALID.test(fp)) {
    const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
    throw new UsageError(
      `invalid PGP fingerprint "${shown}": expected 40 hex digits (or a 16-digit key id), optionally followed by "!"`,
      { hint: "list fingerprints with `gpg --list-keys --fingerprint`; separate several with commas" },
    );
  }
  return fp;
}

/** Whether `fp` ends with the exact-subkey suffix. */
export function isExact(fp: string): boolean {
  return fp.endsWith(EXACT_SUFFIX);
}

/** The fingerprint or key id without the `!` suffix, upper-cased for comparisons. */
export function bareFingerprint(fp: string): string {
  return (isExact(fp) ? fp.slice(0, -1) : fp).toUpperCase();
}

/**
 * The long key id gpg's `--trusted-key` wants: the last 16 characters, keeping a trailing
 * `!` (SOPS's `shortenFingerprint`, so the gpg invocation matches SOPS's). Undefined when
 * `fp` is not hex (an old file's `fp` may be a user id, which gpg's `-r` accepts but
 * `--trusted-key` rejects, failing the whole run in SOPS).
 */
export function trustedKeyId(fp: string): string | undefined {
  if (!VALID.test(fp)) return undefined;
  const width = isExact(fp) ? 17 : 16;
  return fp.length > width ? fp.slice(fp.length - width) : fp;
}
