import type { OptionSpec } from "./args.js";
import type { CliIO } from "./io.js";

/** What every command module exports. */
export interface CommandModule {
  options: readonly OptionSpec[];
  usage: string;
  summary: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/**
 * The command table: name → lazy loader. Nothing else is imported at startup, so
 * `sobre --version` costs little more than Node itself.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  encrypt: { summary: "encrypt a plaintext file", load: () => import("./commands/encrypt.js") },
  decrypt: { summary: "decrypt a file", load: () => import("./commands/decrypt.js") },
  keys: { summary: "test the recipients of a file or rule (sobre keys check)", load: () => import("./commands/keys.js") },
  "age-keygen": { summary: "generate a new age identity", load: () => import("./commands/age-keygen.js") },
  "exec-env": { summary: "run a command with the file's values as environment variables", load: () => import("./commands/exec-env.js") },
  "exec-file": { summary: "run a command with the decrypted file at a private temporary path", load: () => import("./commands/exec-file.js") },
  git: { summary: "git integration: setup, diff textconv, merge driver", load: () => import("./commands/git.js") },
  status: { summary: "report encryption drift of every file the creation rules cover", load: () => import("./commands/status.js") },
  keyservice: { summary: "serve SOPS's key service protocol with this machine's keys", load: () => import("./commands/keyservice.js") },
  check: { summary: "refuse plaintext or mis-keyed files that the creation rules cover (pre-commit)", load: () => import("./commands/check.js") },
  edit: { summary: "edit an encrypted file in $EDITOR (creates it from .sops.yaml rules if missing)", load: () => import("./commands/edit.js") },
  set: { summary: "set one value in an encrypted file (JSON value)", load: () => import("./commands/set.js") },
  unset: { summary: "remove one key or list item from an encrypted file", load: () => import("./commands/unset.js") },
  rotate: { summary: "new data key: re-encrypt all values, optionally add/remove recipients", load: () => import("./commands/rotate.js") },
  updatekeys: { summary: "sync the recipients of encrypted files with .sops.yaml (values untouched)", load: () => import("./commands/updatekeys.js") },
  groups: { summary: "add or delete a key group (Shamir secret sharing)", load: () => import("./commands/groups.js") },
  filestatus: { summary: "print whether a file is SOPS-encrypted, as JSON", load: () => import("./commands/filestatus.js") },
  init: { summary: "set up an age identity and a first .sops.yaml rule", load: () => import("./commands/init.js") },
};

/** Aliases (SOPS-style and friendly names). */
export const ALIASES: Record<string, string> = {
  keygen: "age-keygen",
};
