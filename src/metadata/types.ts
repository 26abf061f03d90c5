import type { WrappedKey } from "../keys/types.js";
import type { SelectionOptions } from "../tree/selection.js";
import type { RawRecord } from "./raw.js";

/**
 * One master-key entry of a file. `wrapped` is set when sobre has a descriptor for the
 * type; otherwise only the raw record is kept and written back unchanged.
 */
export interface StoredKey {
  readonly type: string;
  readonly record: RawRecord;
  readonly wrapped?: WrappedKey;
}

/** The typed `sops` block. */
export interface Metadata {
  /** RFC 3339 as stored; the MAC's AAD is derived from it. */
  lastModified: string;
  /** `ENC[…]` of the MAC hex, or "" when missing. */
  mac: string;
  version: string;
  /** As stored: may be empty, meaning the default `_unencrypted` suffix. */
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  /** 0 when absent. */
  shamirThreshold: number;
  keyGroups: StoredKey[][];
}

/** The version sobre writes: the SOPS format version it emulates (must be semver; SOPS checks it). */
export const WRITTEN_VERSION = "3.13.2";
