import { randomBytes } from "node:crypto";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { effectiveThreshold } from "../keys/groups.js";
import { descriptorFor } from "../keys/registry.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import type { StoredKey } from "../metadata/types.js";
import { detachMetadata } from "./sops-document.js";

/** The outcome of probing one master key. */
export interface KeyProbe {
  group: number;
  type: string;
  key: string;
  /** `ok`, `fail`, or `skipped` (that direction was not tried). */
  wrap: "ok" | "fail" | "skipped";
  unwrap: "ok" | "fail" | "no-identity" | "skipped";
  /** Total time of the probe's network/key operations. */
  ms: number;
  reason?: string;
  hint?: string;
}

function failureOf(err: unknown): { reason: string; hint?: string } {
  const e = err as { message?: string; hint?: string; failures?: { reason: string; hint?: string }[] };
  const first = e.failures?.[0];
  const reason = (first?.reason ?? e.message ?? String(err)).split("\n")[0]!;
  const hint = first?.hint ?? e.hint;
  return hint ? { reason, hint } : { reason };
}

/**
 * Probe a master key the way an admin's "test connection" does: wrap a random probe
 * key and unwrap the result (round trip), timing both. No file data is involved.
 */
export async function probeKey(key: MasterKey, group: number, ctx: KeyContext): Promise<KeyProbe> {
  const started = performance.now();
  const descriptor = descriptorFor(key.type);
  const base = { group, type: descriptor?.label ?? key.type, key: key.id };
  if (!descriptor) return { ...base, wrap: "fail", unwrap: "skipped", ms: 0, reason: `key type ${key.type} is not supported by sobre` };
  const probe = randomBytes(32);
  try {
    const client = await descriptor.load();
    const resolved = client.resolve ? await client.resolve(key, ctx) : key;
    let enc: string;
    try {
      enc = await client.wrap(resolved, probe, ctx);
    } catch (err) {
      return { ...base, wrap: "fail", unwrap: "skipped", ms: Math.round(performance.now() - started), ...failureOf(err) };
    }
    try {
      const back = await client.unwrap(resolved, enc, ctx);
      const ms = Math.round(performance.now() - started);
      if (!back) return { ...base, wrap: "ok", unwrap: "no-identity", ms, reason: "can encrypt for this key, but no identity or credentials here can decrypt" };
      if (!Buffer.from(back).equals(probe)) return { ...base, wrap: "ok", unwrap: "fail", ms, reason: "unwrapped bytes differ from the probe" };
      return { ...base, wrap: "ok", unwrap: "ok", ms };
    } catch (err) {
      return { ...base, wrap: "ok", unwrap: "fail", ms: Math.round(performance.now() - started), ...failureOf(err) };
    }
  } finally {
    probe.fill(0);
  }
}

/** Probe whether each master key of an encrypted file can open its stored data key. */
export async function probeStoredKey(stored: StoredKey, group: number, ctx: KeyContext): Promise<KeyProbe> {
  const started = performance.now();
  const descriptor = descriptorFor(stored.type);
  const base = { group, type: descriptor?.label ?? stored.type, key: stored.wrapped?.key.id ?? stored.type, wrap: "skipped" as const };
  if (!descriptor || !stored.wrapped) return { ...base, unwrap: "fail", ms: 0, reason: `key type ${stored.type} is not supported by sobre` };
  try {
    const client = await descriptor.load();
    const part = await client.unwrap(stored.wrapped.key, stored.wrapped.enc, ctx);
    const ms = Math.round(performance.now() - started);
    part?.fill(0);
    return part ? { ...base, unwrap: "ok", ms } : { ...base, unwrap: "no-identity", ms, reason: "no identity or credentials here for this key" };
  } catch (err) {
    return { ...base, unwrap: "fail", ms: Math.round(performance.now() - started), ...failureOf(err) };
  }
}

/** The probes of a file's keys, and how many key groups must open for the file to open. */
export interface FileKeysCheck {
  probes: KeyProbe[];
  /** Shamir threshold in effect (1 for a single group). */
  groupsNeeded: number;
}

/** One row for a stored key: the stored-key unwrap, plus the wrap half of a round trip. */
function mergeProbes(opened: KeyProbe, roundTrip: KeyProbe): KeyProbe {
  // The reason shown explains the worst outcome: a failed unwrap, else a failed wrap
  // (e.g. a PGP public key missing from the keyring while the secret key is absent too).
  const why = opened.unwrap === "fail" || roundTrip.wrap !== "fail" ? opened : roundTrip;
  const { reason: _r, hint: _h, ...rest } = opened;
  return {
    ...rest,
    wrap: roundTrip.wrap,
    ms: opened.ms + roundTrip.ms,
    ...(why.reason !== undefined ? { reason: why.reason } : {}),
    ...(why.hint !== undefined ? { hint: why.hint } : {}),
  };
}

/** Every key of an encrypted file: can this machine open it, and can it still encrypt for it? */
export async function checkFileKeys(input: Uint8Array, file: string, format: FormatName, ctx: KeyContext): Promise<FileKeysCheck> {
  const fmt = await loadFormat(format);
  const docs = await fmt.parse(input, { file, mode: "encrypted" });
  const meta = detachMetadata(docs, file);
  const out: KeyProbe[] = [];
  for (const [gi, group] of meta.keyGroups.entries()) {
    const probes = await Promise.all(
      group.map(async (stored) => {
        const opened = await probeStoredKey(stored, gi + 1, ctx);
        if (!stored.wrapped) return opened;
        return mergeProbes(opened, await probeKey(stored.wrapped.key, gi + 1, ctx));
      }),
    );
    out.push(...probes);
  }
  return { probes: out, groupsNeeded: effectiveThreshold(meta.keyGroups.length, meta.shamirThreshold) };
}

/** How many distinct key groups have at least one key this machine opened. */
export function groupsOpened(probes: readonly KeyProbe[]): number {
  return new Set(probes.filter((p) => p.unwrap === "ok").map((p) => p.group)).size;
}

/** Every key a creation rule names: wrap + unwrap round trip. */
export async function checkRuleKeys(groups: readonly (readonly MasterKey[])[], ctx: KeyContext): Promise<KeyProbe[]> {
  const out: KeyProbe[] = [];
  for (const [gi, group] of groups.entries()) out.push(...(await Promise.all(group.map((k) => probeKey(k, gi + 1, ctx)))));
  return out;
}
