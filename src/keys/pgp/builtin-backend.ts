import type { Key, PrivateKey, Subkey } from "openpgp";
import type { KeyContext, MasterKey } from "../types.js";
import { KEYRING_ENV, SECRET_KEYS_ENV, builtinKeys } from "./builtin-keyring.js";
import type { OpenPgp } from "./builtin-keyring.js";
import { bareFingerprint, isExact } from "./fingerprint.js";
import { PgpBackendError } from "./failure.js";

/** gpg still encrypts to 1024-bit RSA keys (old SOPS test keys are such); so do we. */
const CONFIG = { minRSABits: 1024 };
const WILDCARD = "0000000000000000";
const MAX_PASSPHRASE_TRIES = 3;

function loadOpenPgp(): Promise<OpenPgp> {
  return import("openpgp");
}

/** Find the key (and which of its keys) a fingerprint or long key id names. */
function findRecipient(keys: Key[], fp: string): { key: Key; part: Key | Subkey } | undefined {
  const want = bareFingerprint(fp);
  for (const key of keys) {
    for (const part of key.getKeys()) {
      if (part.getFingerprint().toUpperCase() === want || part.getKeyID().toHex().toUpperCase() === want) {
        return { key, part };
      }
    }
  }
  return undefined;
}

/** Encrypt `dataKey` to `key` with openpgp.js, from the key files the user configured. */
export async function builtinWrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string> {
  const openpgp = await loadOpenPgp();
  const found = findRecipient((await builtinKeys(openpgp, ctx)).all, key.id);
  if (!found) {
    throw new PgpBackendError(
      "public key not found in the built-in keyring",
      `export it (\`gpg --export -a ${bareFingerprint(key.id)} > key.asc\`) and list the file in ${KEYRING_ENV}`,
    );
  }
  // A subkey id, or `!`, means "exactly this key"; otherwise openpgp.js picks the newest
  // valid encryption subkey, as gpg does.
  const exact = found.part !== found.key || isExact(key.id);
  try {
    const armored = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: dataKey }),
      encryptionKeys: found.key.toPublic(),
      ...(exact ? { encryptionKeyIDs: [found.part.getKeyID()] } : {}),
      config: CONFIG,
    });
    return armored.trim();
  } catch (e) {
    throw new PgpBackendError(`cannot encrypt: ${(e as Error).message}`, "check that the key can encrypt and has not expired or been revoked", e);
  }
}

function describe(key: PrivateKey): string {
  const uid = key.getUserIDs()[0];
  return uid === undefined ? key.getFingerprint().toUpperCase() : `${key.getFingerprint().toUpperCase()} (${uid})`;
}

/** Unlock a passphrase-protected key by asking the user; throws after three wrong answers. */
async function unlock(openpgp: OpenPgp, key: PrivateKey, ctx: KeyContext): Promise<PrivateKey> {
  const prompt = ctx.promptSecret;
  if (prompt === undefined) {
    throw new PgpBackendError(
      `secret key ${key.getFingerprint().toUpperCase()} is passphrase-protected and there is no terminal to ask for it`,
      "run interactively, or use gpg (SOBRE_PGP_BACKEND=gpg) with a gpg-agent that has the key unlocked",
    );
  }
  for (let attempt = 1; ; attempt++) {
    const passphrase = await prompt(`Enter passphrase for PGP key ${describe(key)}: `);
    try {
      return await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (e) {
      if (attempt >= MAX_PASSPHRASE_TRIES) {
        throw new PgpBackendError(`bad passphrase for secret key ${key.getFingerprint().toUpperCase()}`, "check the passphrase of the secret key", e);
      }
      ctx.warn("bad passphrase, try again");
    }
  }
}

async function tryDecrypt(openpgp: OpenPgp, enc: string, keys: PrivateKey[]): Promise<Uint8Array> {
  const message = await openpgp.readMessage({ armoredMessage: enc });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: keys, format: "binary", config: CONFIG });
  return data;
}

/**
 * Decrypt `enc` with the configured secret keys. Returns null when none of them is a
 * recipient (for hidden-recipient messages: when none of them decrypts it).
 */
export async function builtinUnwrap(enc: string, ctx: KeyContext): Promise<Uint8Array | null> {
  const openpgp = await loadOpenPgp();
  let ids: string[];
  try {
    ids = (await openpgp.readMessage({ armoredMessage: enc })).getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase());
  } catch (e) {
    throw new PgpBackendError(`not a valid OpenPGP message: ${(e as Error).message}`, "restore the file from version control", e);
  }
  // --throw-keyids messages name no recipient: every secret key is a candidate.
  const hidden = ids.includes(WILDCARD);
  const keys = await builtinKeys(openpgp, ctx);
  const indexes = keys.secret
    .map((k, i) => ({ k, i }))
    .filter(({ k }) => hidden || k.getKeys().some((part) => ids.includes(part.getKeyID().toHex().toUpperCase())));
  if (indexes.length === 0) return null;

  let lastError: unknown;
  const unlocked = indexes.filter(({ k }) => k.isDecrypted()).map(({ k }) => k);
  if (unlocked.length > 0) {
    try {
      return await tryDecrypt(openpgp, enc, unlocked);
    } catch (e) {
      lastError = e;
    }
  }
  for (const { k, i } of indexes.filter(({ k }) => !k.isDecrypted())) {
    if (hidden && ctx.promptSecret === undefined) {
      ctx.warn(`skipped passphrase-protected PGP key ${k.getFingerprint().toUpperCase()}: no terminal to ask for its passphrase`);
      continue;
    }
    const key = await unlock(openpgp, k, ctx);
    keys.secret[i] = key; // remember the unlocked key for the rest of the run
    try {
      return await tryDecrypt(openpgp, enc, [key]);
    } catch (e) {
      lastError = e;
    }
  }
  if (hidden || lastError === undefined) return null;
  throw new PgpBackendError(
    `decryption failed: ${(lastError as Error).message}`,
    `the message is addressed to a key in ${SECRET_KEYS_ENV} but does not decrypt: restore the file from version control`,
    lastError,
  );
}
