/**
 * The age key client: wraps a data key into an armored age file with exactly one
 * recipient stanza (as SOPS writes it) and unwraps it with the identities this machine
 * has. X25519 and SSH run natively over node:crypto; post-quantum keys load
 * `age-encryption` on demand; plugins run as child processes.
 */
import { randomBytes } from "node:crypto";
import { KeyAccessError, UsageError } from "../../errors.js";
import type { KeyContext, KeySourceClient, MasterKey } from "../types.js";
import { armor, b64Encode, dearmor, parseFile, type ParsedFile } from "./format.js";
import type { AgeRecipient } from "./identity.js";
import { classifyRecipient } from "./recipient.js";
import { loadCommandIdentities, loadStaticIdentities, type LoadedIdentities } from "./sources.js";
import { decryptWithFileKey, encryptWithStanzas } from "./stream.js";
import { x25519Recipient } from "./x25519.js";
import { decodeX25519Recipient } from "./x25519-codec.js";

const STATIC_CACHE = "age:identities";
const IDENTITY_HINT =
  "put your age identity in ~/.config/sops/age/keys.txt, or set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or SOPS_AGE_KEY_CMD";

function recipientOf(key: MasterKey): string {
  const r = key.fields.recipient;
  return (typeof r === "string" ? r : key.id).trim();
}

function failure(recipient: string, reason: string, hint?: string): KeyAccessError {
  return new KeyAccessError(`age key ${recipient}: ${reason}`, [{ key: recipient, type: "age", reason, ...(hint ? { hint } : {}) }], hint ? { hint } : {});
}

/** X25519 is built in; SSH and plugin code loads only for such recipients. */
async function nativeRecipient(recipient: string, ctx: KeyContext): Promise<AgeRecipient> {
  const kind = classifyRecipient(recipient);
  if (kind === "x25519") return x25519Recipient(decodeX25519Recipient(recipient));
  if (kind === "ssh") {
    const [{ sshRecipient }, { parseAuthorizedKey }] = await Promise.all([import("./ssh.js"), import("./ssh-wire.js")]);
    return sshRecipient(parseAuthorizedKey(recipient));
  }
  if (kind === "plugin") return (await import("./plugin.js")).pluginRecipient(recipient, ctx);
  throw new Error("post-quantum recipients are wrapped by age-encryption");
}

async function wrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string> {
  const recipient = recipientOf(key);
  let kind;
  try {
    kind = classifyRecipient(recipient);
  } catch (err) {
    throw new UsageError(`invalid age recipient: ${(err as Error).message}`, { hint: "age recipients look like age1… or ssh-ed25519 AAAA…" });
  }
  try {
    if (kind === "pq") return await (await import("./pq.js")).wrapPq(recipient, dataKey);
    const fileKey = new Uint8Array(randomBytes(16));
    const stanzas = await (await nativeRecipient(recipient, ctx)).wrap(fileKey);
    return armor(encryptWithStanzas(fileKey, stanzas, dataKey));
  } catch (err) {
    const hint = kind === "plugin" ? "install the age plugin named in the recipient (age-plugin-NAME) on PATH" : undefined;
    throw failure(recipient, `could not wrap the data key: ${(err as Error).message}`, hint);
  }
}

function memo<T>(ctx: KeyContext, name: string, make: () => T): T {
  if (!ctx.cache.has(name)) ctx.cache.set(name, make());
  return ctx.cache.get(name) as T;
}

async function identitiesFor(ctx: KeyContext, recipient: string): Promise<LoadedIdentities> {
  const base = await memo(ctx, STATIC_CACHE, () => loadStaticIdentities(ctx));
  if (ctx.env.SOPS_AGE_KEY_CMD === undefined && ctx.env.SOPS_AGE_SSH_PRIVATE_KEY_CMD === undefined) return base;
  const cmd = await memo(ctx, `age:cmd:${recipient}`, () => loadCommandIdentities(ctx, recipient));
  return {
    identities: [...base.identities, ...cmd.identities],
    errors: [...base.errors, ...cmd.errors],
    searched: base.searched,
  };
}

function parseEnc(enc: string): ParsedFile {
  const text = enc.trimStart();
  const binary = text.startsWith("age-encryption.org/") ? new Uint8Array(Buffer.from(enc, "latin1")) : dearmor(enc);
  return parseFile(binary);
}

function fullHeader(file: ParsedFile): Uint8Array {
  return new Uint8Array(Buffer.concat([file.headerNoMac, Buffer.from(` ${b64Encode(file.mac)}\n`)]));
}

async function unwrap(key: MasterKey, enc: string, ctx: KeyContext): Promise<Uint8Array | null> {
  const recipient = recipientOf(key);
  const loaded = await identitiesFor(ctx, recipient);
  const problems = [...loaded.errors];
  if (loaded.identities.length === 0) {
    if (problems.length === 0) return null;
    throw failure(recipient, `no usable age identity (${problems.join("; ")})`, IDENTITY_HINT);
  }
  let file: ParsedFile;
  try {
    file = parseEnc(enc);
  } catch (err) {
    throw failure(recipient, `enc is not a valid age file: ${(err as Error).message}`);
  }
  const header = fullHeader(file);
  // Identities that may prompt (encrypted files and keys, plugins) go last, so a plain
  // key that matches spares the user a passphrase question or a plugin start.
  const ordered = [...loaded.identities.filter((i) => !i.interactive), ...loaded.identities.filter((i) => i.interactive)];
  for (const identity of ordered) {
    let fileKey: Uint8Array | null;
    try {
      fileKey = await identity.unwrap(file.stanzas, header);
    } catch (err) {
      problems.push(`${identity.source}: ${(err as Error).message}`);
      continue;
    }
    if (fileKey === null) continue;
    try {
      return decryptWithFileKey(fileKey, file);
    } catch (err) {
      throw failure(recipient, `the age file is corrupt: ${(err as Error).message}`);
    }
  }
  if (problems.length === 0) return null;
  throw failure(recipient, `no identity could decrypt it (${problems.join("; ")})`, IDENTITY_HINT);
}

/** The age KeySourceClient, loaded lazily through the descriptor. */
export const client: KeySourceClient = { wrap, unwrap };
