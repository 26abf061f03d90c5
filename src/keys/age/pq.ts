/**
 * Hybrid post-quantum recipients (`age1pq1…`, ML-KEM-768 + X25519) through the
 * `age-encryption` package, imported only when such a key is actually used: ML-KEM has
 * no node:crypto primitive on Node 20, and the package costs ~120 ms to load.
 */
import { armor, type Stanza } from "./format.js";
import type { AgeIdentity } from "./identity.js";

const PQ_STANZA = "mlkem768x25519";

/** Wrap `dataKey` for an `age1pq1…` recipient; returns the armored file. */
export async function wrapPq(recipient: string, dataKey: Uint8Array): Promise<string> {
  const { Encrypter } = await import("age-encryption");
  const e = new Encrypter();
  e.addRecipient(recipient);
  return armor(await e.encrypt(dataKey));
}

/** An identity for `AGE-SECRET-KEY-PQ-1…`; the package loads on first matching stanza. */
export function pqIdentity(identity: string, source: string): AgeIdentity {
  return {
    source,
    async unwrap(stanzas: readonly Stanza[], header: Uint8Array) {
      if (!stanzas.some((s) => s.type === PQ_STANZA)) return null;
      const { Decrypter } = await import("age-encryption");
      const d = new Decrypter();
      d.addIdentity(identity);
      try {
        return await d.decryptHeader(header);
      } catch (err) {
        const message = err instanceof Error ? err.message : "";
        if (message.startsWith("no identity matched")) return null;
        throw new Error(`invalid ${PQ_STANZA} stanza: ${message}`);
      }
    },
  };
}

/** Generate `{identity, recipient}` for a new hybrid post-quantum key. */
export async function generatePq(): Promise<{ identity: string; recipient: string }> {
  const { generateHybridIdentity, identityToRecipient } = await import("age-encryption");
  const identity = await generateHybridIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}
