/**
 * The two small interfaces every age recipient and identity kind implements (native
 * X25519, SSH, scrypt, plugins, post-quantum), mirroring age's Recipient/Identity.
 */
import type { Stanza } from "./format.js";

/** Something that can wrap a 16-byte file key into header stanzas. */
export interface AgeRecipient {
  wrap(fileKey: Uint8Array): Promise<Stanza[]>;
}

/** A loaded identity, tagged with where it came from (never the key itself). */
export interface AgeIdentity {
  /** Location for messages: `SOPS_AGE_KEY_FILE (/path/keys.txt:3)`, `~/.ssh/id_rsa`. */
  readonly source: string;
  /**
   * Unwrap the file key: `null` when no stanza is for this identity; throws when one
   * is but it is malformed or cannot be opened (age's ErrIncorrectIdentity vs. others).
   * `header` is the whole header including the MAC line, for identities that delegate
   * to a library working on headers (post-quantum).
   */
  unwrap(stanzas: readonly Stanza[], header: Uint8Array): Promise<Uint8Array | null>;
  /** Whether using it may prompt (encrypted files): such identities are tried last. */
  readonly interactive?: boolean;
}

/** The age file key size; every stanza must unwrap to exactly this. */
export const FILE_KEY_SIZE = 16;

/** Check an unwrapped file key, which every stanza kind must return at 16 bytes. */
export function checkFileKey(key: Uint8Array, kind: string): Uint8Array {
  if (key.length !== FILE_KEY_SIZE) throw new Error(`invalid ${kind} stanza: wrong file key size`);
  return key;
}
