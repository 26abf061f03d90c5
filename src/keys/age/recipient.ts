/**
 * Recipient strings → recipient kind, with cheap validation (no library loads), as
 * SOPS 3.13's parseRecipient: `age1pq1…` hybrid, `age1NAME1…` plugin, `age1…` X25519,
 * `ssh-…` SSH. Used eagerly by the descriptor and again by the client.
 */
import { bech32Decode } from "./bech32.js";
import { pluginRecipientName } from "./plugin-name.js";
import { parseAuthorizedKey } from "./ssh-wire.js";
import { decodeX25519Recipient } from "./x25519-codec.js";

/** The kinds of recipient SOPS 3.13 accepts for age. */
export type RecipientKind = "x25519" | "pq" | "plugin" | "ssh";

/** A secret passed where a recipient belongs; the message must not print it. */
export class SecretKeyAsRecipientError extends Error {}

/** Classify and validate a (trimmed) recipient. Throws with a secret-free reason. */
export function classifyRecipient(recipient: string): RecipientKind {
  const upper = recipient.toUpperCase();
  if (upper.startsWith("AGE-SECRET-KEY-") || upper.startsWith("AGE-PLUGIN-")) {
    throw new SecretKeyAsRecipientError("that is a secret key");
  }
  if (recipient.startsWith("age1pq1")) {
    const { hrp, data } = bech32Decode(recipient);
    if (hrp !== "age1pq" || data.length === 0) throw new Error("malformed post-quantum recipient");
    return "pq";
  }
  if (recipient.startsWith("age1") && recipient.split("1").length - 1 > 1) {
    pluginRecipientName(recipient);
    return "plugin";
  }
  if (recipient.startsWith("age1")) {
    decodeX25519Recipient(recipient);
    return "x25519";
  }
  if (recipient.startsWith("ssh-")) {
    parseAuthorizedKey(recipient);
    return "ssh";
  }
  throw new Error("unknown recipient type");
}
