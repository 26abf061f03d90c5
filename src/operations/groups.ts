import { UsageError, inFile } from "../errors.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import { masterKeysOf, rekeyFile, type SealedFile } from "./rekey.js";

export interface GroupsChangeOptions {
  sealed: SealedFile;
  file: string;
  keyContext: KeyContext;
  /** `--shamir-secret-sharing-threshold`; 0 keeps the file's. */
  threshold?: number;
  decryptionOrder?: readonly string[];
  indent?: number;
}

/**
 * `sobre groups add`: append a key group (SOPS syntax). The data key is split anew over
 * all groups and every key re-wrapped; values, `lastmodified` and `mac` do not change.
 */
export function addGroup(opts: GroupsChangeOptions & { group: MasterKey[] }): Promise<Uint8Array> {
  if (opts.group.length === 0) throw new UsageError("the new group has no keys", { hint: "pass keys with --age, --pgp, --kms, --gcp-kms, --azure-kv or --hc-vault-transit" });
  const groups = [...masterKeysOf(opts.sealed.metadata.keyGroups, opts.file), opts.group];
  const threshold = opts.threshold || opts.sealed.metadata.shamirThreshold;
  return rekeyFile({ ...common(opts), groups, threshold });
}

/** `sobre groups delete INDEX` (0-based, like SOPS). */
export function deleteGroup(opts: GroupsChangeOptions & { index: number }): Promise<Uint8Array> {
  const current = masterKeysOf(opts.sealed.metadata.keyGroups, opts.file);
  if (!Number.isInteger(opts.index) || opts.index < 0 || opts.index >= current.length) {
    throw new UsageError(inFile(opts.file, `there is no key group ${opts.index} (the file has ${current.length}, numbered from 0)`), { hint: "run `sobre decrypt` on the file to see its key groups, or check the sops block" });
  }
  const groups = current.filter((_, i) => i !== opts.index);
  if (groups.length === 0) throw new UsageError(inFile(opts.file, "cannot delete the only key group"), { hint: "use `sobre groups add` first, or `sobre rotate` to change keys" });
  const threshold = opts.threshold || opts.sealed.metadata.shamirThreshold;
  if (groups.length > 1 && threshold > groups.length) {
    throw new UsageError(inFile(opts.file, `removing this key group makes the Shamir threshold impossible: threshold ${threshold}, but only ${groups.length} key groups remain`), {
      hint: "lower it with --shamir-secret-sharing-threshold",
    });
  }
  return rekeyFile({ ...common(opts), groups, threshold: groups.length > 1 ? threshold : 0 });
}

function common(opts: GroupsChangeOptions): { sealed: SealedFile; file: string; keyContext: KeyContext; decryptionOrder?: readonly string[]; indent?: number } {
  return {
    sealed: opts.sealed,
    file: opts.file,
    keyContext: opts.keyContext,
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
  };
}
