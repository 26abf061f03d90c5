import type { FormatName } from "../formats/types.js";
import type { KeyContext } from "../keys/types.js";
import { runChild, type ChildStatus, type SignalMode } from "../exec/run-child.js";
import { assertCanSwitchTo, resolveUser, userEnv } from "../exec/user.js";
import { envFromDocument } from "./env-values.js";
import { openEncryptedFile } from "./open-file.js";

/** Options shared by exec-env and exec-file. */
export interface ExecCommonOptions {
  input: Uint8Array;
  file: string;
  inputFormat: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  /** Shell command, run with `/bin/sh -c`. */
  command: string;
  /** sobre's own environment (inherited unless pristine). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** `--user NAME`: run the command as this user (sobre must be root). */
  user?: string;
  /** How signals reach the child (default supervised: own process group). */
  mode?: SignalMode;
}

export interface ExecEnvOptions extends ExecCommonOptions {
  /** `--pristine`: the child sees only the file's variables (plus --user's HOME/USER/LOGNAME). */
  pristine?: boolean;
}

/** Defined variables only: `process.env` may hold undefined entries. */
export function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Resolve `--user` into spawn credentials and SOPS's HOME/USER/LOGNAME variables. */
export function credentialsFor(user: string | undefined): { owner?: { uid: number; gid: number }; env: Record<string, string> } {
  if (user === undefined || user === "") return { env: {} };
  const target = resolveUser(user);
  assertCanSwitchTo(target);
  return { owner: { uid: target.uid, gid: target.gid }, env: userEnv(target) };
}

/**
 * Decrypt a file and run a command with its top-level values as environment variables.
 * The plaintext never touches the disk; the data key is wiped before the child starts.
 * Returns how the child ended; the CLI maps that to sobre's own exit.
 */
export async function execEnv(opts: ExecEnvOptions): Promise<ChildStatus> {
  const opened = await openEncryptedFile({
    input: opts.input,
    file: opts.file,
    format: opts.inputFormat,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  let vars: Record<string, string>;
  try {
    vars = envFromDocument(opened.documents[0]!, opts.file, { dotenv: opts.inputFormat === "dotenv" });
  } finally {
    opened.dataKey.fill(0);
  }
  const creds = credentialsFor(opts.user);
  // SOPS order: inherited env, then the user's HOME/USER/LOGNAME, then the file's values.
  const env = { ...(opts.pristine ? {} : definedEnv(opts.baseEnv)), ...creds.env, ...vars };
  return runChild({
    command: opts.command,
    env,
    ...(creds.owner ? { uid: creds.owner.uid, gid: creds.owner.gid } : {}),
    ...(opts.mode ? { mode: opts.mode } : {}),
  });
}
