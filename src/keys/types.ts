import type { RawRecord } from "../metadata/raw.js";

/** Metadata list names, as on disk. `hckms` is read and preserved but has no client. */
export type KeyType = "age" | "pgp" | "kms" | "gcp_kms" | "azure_kv" | "hc_vault" | "hckms";

/**
 * A reference to one master key (recipient): from a flag, an env var, a `.sops.yaml`
 * rule or a metadata entry. Immutable; carries no secret.
 */
export interface MasterKey {
  readonly type: KeyType;
  /** Stable, printable identity: age recipient, PGP fingerprint, ARN, resource id, key URL. */
  readonly id: string;
  /**
   * On-disk identifying fields other than `enc` and `created_at`
   * (age: recipient; kms: arn, role, context, aws_profile; …).
   */
  readonly fields: RawRecord;
}

/** A master key together with the wrapped data key (or Shamir share) it holds. */
export interface WrappedKey {
  readonly key: MasterKey;
  /** The `enc` field: armored age/PGP message or KMS ciphertext text. */
  readonly enc: string;
  /** RFC 3339 UTC, when the master key was added (`created_at`); absent for age. */
  readonly createdAt?: string;
  /** Fields of the on-disk entry this key did not understand, written back unchanged. */
  readonly extra?: RawRecord;
}

/** Everything a key client may need from the outside world; injected so tests stay hermetic. */
export interface KeyContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly home: string;
  /** Ask the user for a secret (passphrase) on the TTY; undefined when non-interactive. */
  readonly promptSecret?: (question: string) => Promise<string>;
  /** Non-fatal diagnostics (never secrets). */
  readonly warn: (message: string) => void;
  /** Per-run memo for clients (identities loaded once, SDK clients reused, unwrap cache). */
  readonly cache: Map<string, unknown>;
  /** AWS profile override from `--aws-profile`. */
  readonly awsProfile?: string;
  /**
   * Key services (`--keyservice`, SOPS's gRPC protocol). When set, every wrap/unwrap goes
   * through `keyServices.client(type, local)` instead of the local client alone.
   */
  readonly keyServices?: KeyServiceRouter;
}

/**
 * Routes wrap/unwrap through key services: the local client first (unless disabled),
 * then each remote service until one succeeds. Implemented in src/keyservice/client.ts.
 */
export interface KeyServiceRouter {
  /** `local` is undefined when sobre has no client of its own for `type`. */
  client(type: KeyType, local: KeySourceClient | undefined): KeySourceClient;
}

/** The client half of a key source: the only code that touches an SDK, a binary or the network. */
export interface KeySourceClient {
  /** Wrap `dataKey` for `key`; returns the `enc` text. Throws on failure. */
  wrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string>;
  /**
   * Unwrap `enc`. Returns `null` when this machine has no identity for `key`
   * (try the next key); throws when it does but unwrapping failed.
   */
  unwrap(key: MasterKey, enc: string, ctx: KeyContext): Promise<Uint8Array | null>;
  /**
   * Complete a reference before wrapping (e.g. Azure: record the key's latest version
   * when the URL names none). Optional; absent means the reference is already complete.
   */
  resolve?(key: MasterKey, ctx: KeyContext): Promise<MasterKey>;
}

/** The light, eagerly loaded half: parsing references and on-disk entries. */
export interface KeyDescriptor {
  readonly type: KeyType;
  /** Human label for messages, e.g. "age", "PGP", "AWS KMS". */
  readonly label: string;
  /** Offline keys are tried before network ones by default. */
  readonly offline: boolean;
  /** Parse a comma-separated list from a flag or env var (`age1…,age1…`). Throws UsageError. */
  parseRefs(input: string): MasterKey[];
  /** Build from one metadata entry (fields minus `enc`/`created_at`). Throws FormatError. */
  fromRecord(record: RawRecord): MasterKey;
  /** The on-disk entry, keys in SOPS 3.13 order (sorted). */
  toRecord(wrapped: WrappedKey): RawRecord;
  /** Whether this type writes `created_at` (age does not). */
  readonly hasCreatedAt: boolean;
  /** Lazy loader of the client, so SDKs load only when a file uses this key type. */
  load(): Promise<KeySourceClient>;
}
