import { KeyAccessError } from "../../errors.js";

/** Which half of the key source failed, for the one-line reason. */
export type PgpAction = "encrypt" | "decrypt";

/** A backend's explanation of a failure; the client turns one or more into a KeyAccessError. */
export class PgpBackendError extends Error {
  readonly reason: string;
  readonly hint: string | undefined;
  constructor(reason: string, hint?: string, cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.name = "PgpBackendError";
    this.reason = reason;
    this.hint = hint;
  }
}

/** The error the PGP client throws: names the key, keeps the reason and hint for the summary. */
export function pgpError(action: PgpAction, fp: string, reason: string, hint?: string, cause?: unknown): KeyAccessError {
  return new KeyAccessError(
    `could not ${action} the data key with PGP key ${fp}: ${reason}`,
    [{ key: fp, type: "pgp", reason, ...(hint === undefined ? {} : { hint }) }],
    { ...(hint === undefined ? {} : { hint }), cause },
  );
}
