import type { KeyContext, MasterKey } from "../keys/types.js";
import type { StoredKey } from "../metadata/types.js";
import { keyIdentity, rekeyFile, storedIdentity, type SealedFile } from "./rekey.js";

/** One group's change, keys as printable ids (SOPS's PrettyPrintDiffs). */
export interface GroupDiff {
  common: string[];
  added: string[];
  removed: string[];
}

export interface KeysPlan {
  diffs: GroupDiff[];
  oldThreshold: number;
  newThreshold: number;
  /** Anything to do at all. */
  changes: boolean;
}

function printable(key: StoredKey): string {
  return key.wrapped?.key.id ?? `${key.type} key`;
}

/**
 * Compare the file's key groups with the wanted ones, group by group (SOPS's
 * DiffKeyGroups), and work out the Shamir threshold: the file's unless overridden,
 * capped at the number of groups.
 */
export function planKeyUpdate(current: readonly (readonly StoredKey[])[], currentThreshold: number, wanted: readonly (readonly MasterKey[])[], thresholdOverride = 0): KeysPlan {
  const diffs: GroupDiff[] = [];
  for (let i = 0; i < Math.max(current.length, wanted.length); i++) {
    const ours = current[i] ?? [];
    const theirs = wanted[i] ?? [];
    const ourIds = new Set(ours.map(storedIdentity));
    const theirIds = new Set(theirs.map((k) => keyIdentity(k.type, k.id)));
    const diff: GroupDiff = { common: [], added: [], removed: [] };
    for (const k of theirs) (ourIds.has(keyIdentity(k.type, k.id)) ? diff.common : diff.added).push(k.id);
    for (const k of ours) if (!theirIds.has(storedIdentity(k))) diff.removed.push(printable(k));
    diffs.push(diff);
  }
  const newThreshold = Math.min(thresholdOverride || currentThreshold, wanted.length > 1 ? wanted.length : 0);
  const changes = diffs.some((d) => d.added.length > 0 || d.removed.length > 0) || newThreshold !== currentThreshold;
  return { diffs, oldThreshold: currentThreshold, newThreshold, changes };
}

/** SOPS's text for a plan, for the confirmation prompt. */
export function formatPlan(plan: KeysPlan): string {
  const lines: string[] = [];
  if (plan.oldThreshold > 0 && plan.oldThreshold === plan.newThreshold) lines.push(`shamir_threshold: ${plan.newThreshold}`);
  else {
    if (plan.newThreshold > 0) lines.push(`+++ shamir_threshold: ${plan.newThreshold}`);
    if (plan.oldThreshold > 0) lines.push(`--- shamir_threshold: ${plan.oldThreshold}`);
  }
  plan.diffs.forEach((d, i) => {
    lines.push(`Group ${i + 1}`);
    for (const k of d.common) lines.push(`    ${k}`);
    for (const k of d.added) lines.push(`+++ ${k}`);
    for (const k of d.removed) lines.push(`--- ${k}`);
  });
  return lines.join("\n") + "\n";
}

export interface ApplyKeysOptions {
  sealed: SealedFile;
  file: string;
  wanted: MasterKey[][];
  plan: KeysPlan;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
  indent?: number;
}

/** Apply a plan: only the key entries change; values, `lastmodified` and `mac` do not. */
export function applyKeyUpdate(opts: ApplyKeysOptions): Promise<Uint8Array> {
  return rekeyFile({
    sealed: opts.sealed,
    file: opts.file,
    groups: opts.wanted,
    threshold: opts.plan.newThreshold,
    keyContext: opts.keyContext,
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
  });
}
