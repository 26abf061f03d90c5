import type { FormatName } from "../formats/types.js";
import { execWithFile } from "../exec/exec-file.js";
import type { ChildStatus } from "../exec/run-child.js";
import { decrypt } from "./decrypt.js";
import { credentialsFor, definedEnv, type ExecCommonOptions } from "./exec-env.js";

export interface ExecFileOptions extends ExecCommonOptions {
  /** Format of the decrypted file the command reads (default: the input format). */
  outputFormat: FormatName;
  indent?: number;
  /** FIFO (default, like SOPS) or a 0600 regular file on tmpfs (`--no-fifo`). */
  fifo: boolean;
  /** `--filename`: the file's name inside the private directory (default `tmp-file`). */
  filename?: string;
  /** `--tmpdir`: parent of the private directory; otherwise a memory-backed one is required. */
  tmpdir?: string;
  warn: (message: string) => void;
}

/**
 * Decrypt a file and run a command that reads it from a private path (`{}` in the
 * command). The plaintext exists only while the command runs, in a 0700 directory on a
 * memory-backed filesystem, and is removed on every exit path.
 */
export async function execFile(opts: ExecFileOptions): Promise<ChildStatus> {
  const plaintext = await decrypt({
    input: opts.input,
    file: opts.file,
    inputFormat: opts.inputFormat,
    outputFormat: opts.outputFormat,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
  });
  try {
    const creds = credentialsFor(opts.user);
    return await execWithFile({
      plaintext,
      command: opts.command,
      env: { ...definedEnv(opts.baseEnv), ...creds.env },
      fifo: opts.fifo,
      ...(opts.filename !== undefined ? { filename: opts.filename } : {}),
      ...(opts.tmpdir !== undefined ? { parent: opts.tmpdir } : {}),
      ...(creds.owner ? { owner: creds.owner } : {}),
      ...(opts.mode ? { mode: opts.mode } : {}),
      warn: opts.warn,
    });
  } finally {
    plaintext.fill(0);
  }
}
