import { combine, split } from "../crypto/shamir.js";
import { KeyAccessError, UsageError, type KeyFailure } from "../errors.js";
import type { StoredKey } from "../metadata/types.js";
import { DEFAULT_DECRYPTION_ORDER, descriptorFor } from "./registry.js";
import type { KeyContext, KeySourceClient, KeyType, MasterKey, WrappedKey } from "./types.js";
import { nowRfc3339 } from "../metadata/timestamps.js";

/** Why a key failed, in plain words, without secrets. */
function reasonOf(err: unknown): string {
  // A client's KeyAccessError names its key in the message; the list already shows the key,
  // so prefer the bare reason it carries.
  const own = (err as { failures?: { reason?: string }[] } | undefined)?.failures?.[0]?.reason;
  const msg = own ?? (err instanceof Error ? err.message : String(err));
  return msg.split("\n")[0]!.slice(0, 300);
}

function hintOf(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "hint" in err && typeof err.hint === "string" ? err.hint : undefined;
}

/** Resolve the Shamir threshold SOPS uses: 0 means all groups. */
export function effectiveThreshold(groups: number, threshold: number): number {
  return groups <= 1 ? 1 : threshold > 0 ? threshold : groups;
}

/**
 * Wrap the data key for every master key, all concurrently. With several groups the key
 * is split with Shamir and group i's keys all wrap share i. Any failure fails the whole
 * operation, naming every failing recipient.
 */
export async function wrapForGroups(dataKey: Uint8Array, groups: readonly (readonly MasterKey[])[], threshold: number, ctx: KeyContext): Promise<StoredKey[][]> {
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UsageError("no recipients to encrypt for", {
      hint: "pass --age/-a, --pgp/-p, --kms … or add a creation rule to .sops.yaml",
      exitCode: 111,
    });
  }
  const t = effectiveThreshold(groups.length, threshold);
  if (groups.length > 1 && (t < 2 || t > groups.length)) {
    throw new UsageError(`shamir threshold ${t} is invalid for ${groups.length} key groups`, { hint: "use a threshold between 2 and the number of groups" });
  }
  const parts = groups.length === 1 ? [dataKey] : split(dataKey, groups.length, t);
  const createdAt = nowRfc3339();
  const failures: KeyFailure[] = [];
  const result = await Promise.all(
    groups.map((group, gi) =>
      Promise.all(
        group.map(async (key): Promise<StoredKey> => {
          const descriptor = descriptorFor(key.type);
          try {
            if (!descriptor) throw new Error(`key type ${key.type} is not supported by sobre`);
            const client = await clientFor(key.type, ctx);
            const enc = await client.wrap(key, parts[gi]!, ctx);
            const wrapped: WrappedKey = descriptor.hasCreatedAt ? { key, enc, createdAt } : { key, enc };
            return { type: key.type, record: descriptor.toRecord(wrapped), wrapped };
          } catch (err) {
            failures.push({ key: key.id, type: descriptor?.label ?? key.type, reason: reasonOf(err), ...(hintOf(err) ? { hint: hintOf(err)! } : {}) });
            return { type: key.type, record: {} };
          }
        }),
      ),
    ),
  );
  if (failures.length > 0) {
    throw new KeyAccessError(`could not encrypt the data key for ${failures.length} of ${groups.flat().length} recipients`, failures, {
      hint: failures.find((f) => f.hint)?.hint ?? "check the recipients and your credentials for each key manager",
    });
  }
  return result;
}

/** The key client for a type: the local one, routed through `--keyservice`s when given. */
async function clientFor(type: string, ctx: KeyContext): Promise<KeySourceClient> {
  const descriptor = descriptorFor(type);
  const local = descriptor ? await descriptor.load() : undefined;
  if (ctx.keyServices) return ctx.keyServices.client(type as KeyType, local);
  if (!local) throw new Error(`key type ${type} is not supported by sobre`);
  return local;
}

function sortByOrder(group: readonly StoredKey[], order: readonly string[]): StoredKey[] {
  const rank = (k: StoredKey): number => {
    const i = order.indexOf(k.type);
    if (i >= 0) return i;
    // Offline keys (age, PGP) before network ones even when not named in the order.
    return order.length + (descriptorFor(k.type)?.offline ? 0 : 1);
  };
  return [...group].sort((a, b) => rank(a) - rank(b));
}

async function unwrapOne(key: StoredKey, ctx: KeyContext): Promise<Uint8Array | null> {
  if (!key.wrapped) throw new Error(`key type ${key.type} is not supported by sobre`);
  const cacheKey = `unwrap:${key.type}:${key.wrapped.enc}`;
  // Callers zero the data key they get after use, so the cache hands out and keeps
  // copies: returning the cached buffer itself left zeros for the next file in the run.
  const cached = ctx.cache.get(cacheKey) as Uint8Array | undefined;
  if (cached) return new Uint8Array(cached);
  const client = await clientFor(key.type, ctx);
  const part = await client.unwrap(key.wrapped.key, key.wrapped.enc, ctx);
  if (part) ctx.cache.set(cacheKey, new Uint8Array(part));
  return part;
}

/**
 * Recover the data key: in each group try keys in decryption order until one opens;
 * stop as soon as enough groups opened. On failure the error lists every key tried.
 */
export async function unwrapDataKey(
  groups: readonly (readonly StoredKey[])[],
  threshold: number,
  ctx: KeyContext,
  decryptionOrder: readonly string[] = DEFAULT_DECRYPTION_ORDER,
): Promise<Uint8Array> {
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new KeyAccessError("the file lists no master keys", [], { hint: "the sops metadata was damaged; restore the file from version control" });
  }
  const needed = effectiveThreshold(groups.length, threshold);
  const parts: Uint8Array[] = [];
  const failures: KeyFailure[] = [];
  for (const [gi, group] of groups.entries()) {
    if (parts.length >= needed) break;
    for (const key of sortByOrder(group, decryptionOrder)) {
      const label = descriptorFor(key.type)?.label ?? key.type;
      const id = key.wrapped?.key.id ?? key.type;
      try {
        const part = await unwrapOne(key, ctx);
        if (part) {
          parts.push(part);
          break;
        }
        failures.push({ key: id, type: label, reason: groups.length > 1 ? `group ${gi + 1}: no matching identity or credentials here` : "no matching identity or credentials here", hint: noIdentityHint(key.type) });
      } catch (err) {
        failures.push({ key: id, type: label, reason: (groups.length > 1 ? `group ${gi + 1}: ` : "") + reasonOf(err), ...(hintOf(err) ? { hint: hintOf(err)! } : {}) });
      }
    }
  }
  if (parts.length < needed) {
    const msg = groups.length > 1 ? `only ${parts.length} of the ${needed} key groups needed could be opened` : "no key could decrypt the data key";
    throw new KeyAccessError(msg, failures, { hint: failures.find((f) => f.hint)?.hint ?? "make one of the listed keys available on this machine" });
  }
  if (groups.length === 1) return parts[0]!;
  try {
    return combine(parts);
  } catch (err) {
    throw new KeyAccessError(`could not combine the key-group shares: ${reasonOf(err)}`, failures);
  }
}

function noIdentityHint(type: string): string {
  switch (type) {
    case "age":
      return "set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) to an identity for one of the recipients";
    case "pgp":
      return "import the secret key into gpg (GNUPGHOME) or point SOBRE_PGP_SECRET_KEYS at it";
    default:
      return "check the credentials for this key manager";
  }
}
