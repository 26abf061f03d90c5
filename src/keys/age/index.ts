/**
 * The age key source descriptor: light and eager. It parses and validates recipients
 * and metadata entries without loading any crypto library; the client loads on demand.
 */
import { FormatError, UsageError } from "../../errors.js";
import type { RawRecord } from "../../metadata/raw.js";
import type { KeyDescriptor, KeySourceClient, MasterKey, WrappedKey } from "../types.js";
import { classifyRecipient, SecretKeyAsRecipientError } from "./recipient.js";

/** Show at most a short prefix of user input: it might be a mangled secret. */
function preview(s: string): string {
  return JSON.stringify(s.length > 24 ? `${s.slice(0, 16)}…` : s);
}

function makeKey(recipient: string): MasterKey {
  return { type: "age", id: recipient, fields: { recipient } };
}

/** Parse one recipient; throws UsageError with a hint and never echoes a secret key. */
export function parseRecipient(input: string): MasterKey {
  const recipient = input.trim();
  try {
    classifyRecipient(recipient);
  } catch (err) {
    if (err instanceof SecretKeyAsRecipientError) {
      throw new UsageError("invalid age recipient: that is a secret key; pass its recipient (age-keygen -y)", {
        hint: "the recipient (public key) starts with age1…; print it with `age-keygen -y KEYFILE` or `sobre age-keygen -y KEYFILE`",
      });
    }
    throw new UsageError(`invalid age recipient ${preview(recipient)}: ${(err as Error).message}`, {
      hint: "age recipients look like age1…, age1pq1…, age1NAME1… (plugin) or `ssh-ed25519 AAAA…`",
    });
  }
  return makeKey(recipient);
}

function parseRefs(input: string): MasterKey[] {
  if (input.trim() === "") return [];
  return input.split(",").map(parseRecipient);
}

function fromRecord(record: RawRecord): MasterKey {
  const recipient = record.recipient;
  if (typeof recipient !== "string" || recipient.trim() === "") {
    throw new FormatError("age entry in sops metadata has no recipient");
  }
  // Not validated here: an entry we cannot parse must still round-trip unchanged.
  return makeKey(recipient.trim());
}

function toRecord(wrapped: WrappedKey): RawRecord {
  const recipient = wrapped.key.fields.recipient;
  const all: RawRecord = {
    ...wrapped.extra,
    enc: wrapped.enc,
    recipient: typeof recipient === "string" ? recipient : wrapped.key.id,
  };
  const sorted: RawRecord = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k]!;
  return sorted;
}

/** The age key source. `load()` resolves to the client exported as `client` by client.ts. */
export const descriptor: KeyDescriptor = {
  type: "age",
  label: "age",
  offline: true,
  hasCreatedAt: false,
  parseRefs,
  fromRecord,
  toRecord,
  load: async (): Promise<KeySourceClient> => (await import("./client.js")).client,
};
