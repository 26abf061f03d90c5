/**
 * `sobre age-keygen`: new identities in age-keygen's keys.txt format. X25519 keys are
 * made natively; post-quantum hybrid keys (`age1pq1…`) come from `age-encryption`.
 */
import { generatePq } from "./pq.js";
import { randomScalar, x25519Base } from "./primitives.js";
import { decodeX25519Identity, encodeX25519Identity, encodeX25519Recipient } from "./x25519-codec.js";

/** Options for {@link generateIdentity}. */
export interface GenerateOptions {
  /** Generate a hybrid ML-KEM-768 + X25519 identity (`AGE-SECRET-KEY-PQ-1…`). */
  postQuantum?: boolean;
  /** Creation time for the comment; defaults to now. */
  now?: Date;
}

/** Go's RFC 3339 in local time: `2006-01-02T15:04:05-07:00`, or `Z` for UTC. */
export function rfc3339Local(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? "Z" : `${offset > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`
  );
}

/** Format an identity as age-keygen writes keys.txt (ends with a newline). */
export function formatIdentityFile(secret: string, recipient: string, now = new Date()): string {
  return `# created: ${rfc3339Local(now)}\n# public key: ${recipient}\n${secret}\n`;
}

/**
 * Generate a new identity. `identity` is the complete keys.txt text (comments and
 * secret line), ready to print or write with mode 0600; `recipient` is its public key.
 */
export async function generateIdentity(options: GenerateOptions = {}): Promise<{ identity: string; recipient: string }> {
  if (options.postQuantum) {
    const pq = await generatePq();
    return { identity: formatIdentityFile(pq.identity, pq.recipient, options.now), recipient: pq.recipient };
  }
  const scalar = randomScalar();
  const recipient = encodeX25519Recipient(x25519Base(scalar));
  return { identity: formatIdentityFile(encodeX25519Identity(scalar), recipient, options.now), recipient };
}

/** The recipient of a secret identity line (`age-keygen -y`). Throws without echoing it. */
export async function identityToRecipient(secret: string): Promise<string> {
  const s = secret.trim();
  if (s.startsWith("AGE-SECRET-KEY-PQ-1")) {
    const lib = await import("age-encryption");
    return lib.identityToRecipient(s);
  }
  try {
    return encodeX25519Recipient(x25519Base(decodeX25519Identity(s)));
  } catch {
    throw new Error("not a valid age identity");
  }
}
