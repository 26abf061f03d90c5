/**
 * One error hierarchy for the whole program. Every throw in src/ is a SobreError;
 * src/cli maps `exitCode` to the process exit status and prints `message` plus `hint`.
 * Messages never contain plaintext values or key material.
 */

/** SOPS's exit codes (getsops/sops cmd/sops/codes), kept identical so scripts keep working. */
export const EXIT = {
  ErrorGeneric: 1,
  CouldNotReadInputFile: 2,
  CouldNotWriteOutputFile: 3,
  ErrorDumpingTree: 4,
  ErrorReadingConfig: 5,
  ErrorInvalidKMSEncryptionContextFormat: 6,
  ErrorInvalidSetFormat: 7,
  ErrorEncryptingMac: 21,
  ErrorEncryptingTree: 23,
  ErrorDecryptingMac: 24,
  ErrorDecryptingTree: 25,
  CannotChangeKeysFromNonExistentFile: 49,
  MacMismatch: 51,
  MacNotFound: 52,
  ConfigFileNotFound: 61,
  KeyboardInterrupt: 85,
  InvalidTreePathFormat: 91,
  NeedAtLeastOneDocument: 92,
  NoFileSpecified: 100,
  CouldNotRetrieveKey: 128,
  NoEncryptionKeyFound: 111,
  FileHasNotBeenModified: 200,
  NoEditorFound: 201,
  FailedToCompareVersions: 202,
  FileAlreadyEncrypted: 203,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface SobreErrorOptions {
  /** What the user can do about it: a flag, env var or command. Printed as `hint: …`. */
  hint?: string;
  cause?: unknown;
  exitCode?: number;
}

/** Base class. `code` is a stable machine-readable identifier (kebab-case). */
export class SobreError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(code: string, message: string, defaultExit: number, options: SobreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? defaultExit;
    this.hint = options.hint;
  }
}

/** Bad flags, arguments or paths given on the command line. */
export class UsageError extends SobreError {
  constructor(message: string, options: SobreErrorOptions = {}) {
    super("usage", message, EXIT.ErrorGeneric, options);
  }
}

/** `.sops.yaml` missing, unreadable or invalid. */
export class ConfigError extends SobreError {
  constructor(message: string, options: SobreErrorOptions = {}) {
    super("config", message, EXIT.ErrorReadingConfig, options);
  }
}

/** Position inside a file, 1-based, for parse errors. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A file could not be parsed or emitted in its format. */
export class FormatError extends SobreError {
  readonly position: SourcePosition | undefined;
  constructor(message: string, options: SobreErrorOptions & { position?: SourcePosition } = {}) {
    super("format", message, EXIT.CouldNotReadInputFile, options);
    this.position = options.position;
  }
}

/** One master key's failure, kept so the final message can list every cause. */
export interface KeyFailure {
  /** e.g. `age1abc…`, a PGP fingerprint, a KMS ARN. Never secret. */
  key: string;
  type: string;
  reason: string;
  hint?: string;
}

/** No master key could wrap or unwrap the data key. */
export class KeyAccessError extends SobreError {
  readonly failures: readonly KeyFailure[];
  constructor(message: string, failures: readonly KeyFailure[], options: SobreErrorOptions = {}) {
    super("key-access", message, EXIT.CouldNotRetrieveKey, options);
    this.failures = failures;
  }
}

/** MAC mismatch, tampered or undecryptable values. */
export class IntegrityError extends SobreError {
  constructor(message: string, options: SobreErrorOptions = {}) {
    super("integrity", message, EXIT.MacMismatch, options);
  }
}

/** A child process (exec-env, exec-file, editor) could not run. */
export class ExecError extends SobreError {
  constructor(message: string, options: SobreErrorOptions = {}) {
    super("exec", message, EXIT.ErrorGeneric, options);
  }
}

/** A bug in sobre. The CLI prints a bug-report hint for these. */
export class InternalError extends SobreError {
  constructor(message: string, options: SobreErrorOptions = {}) {
    super("internal", message, EXIT.ErrorGeneric, options);
  }
}

/** Generic failure with an explicit SOPS exit code (e.g. 200 "file has not been modified"). */
export class ExitError extends SobreError {
  constructor(exitCode: number, message: string, options: Omit<SobreErrorOptions, "exitCode"> = {}) {
    super("exit", message, exitCode, { ...options, exitCode });
  }
}

/** Prefix a message with the file it concerns, as every user-facing error should. */
export function inFile(file: string | undefined, message: string): string {
  return file ? `${file}: ${message}` : message;
}
