import { existsSync, readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { Key, PrivateKey } from "openpgp";
import { UsageError } from "../../errors.js";
import type { KeyContext } from "../types.js";

/** openpgp.js module type, passed in so only client code imports it (lazily). */
export type OpenPgp = typeof import("openpgp");

/** Keys the built-in backend can use in this run. */
export interface BuiltinKeys {
  /** Every key seen (public or secret), usable as an encryption recipient. */
  all: Key[];
  /** Secret keys, possibly still passphrase-locked; unlocked ones replace their entry. */
  secret: PrivateKey[];
}

/** Env var: public key files (armored or binary), separated like PATH. */
export const KEYRING_ENV = "SOBRE_PGP_KEYRING";
/** Env var: secret key files (armored or binary), separated like PATH. */
export const SECRET_KEYS_ENV = "SOBRE_PGP_SECRET_KEYS";

const CACHE_KEY = "pgp:builtin-keys";

/** Whether the user pointed the built-in backend at key files. */
export function hasBuiltinKeyFiles(ctx: KeyContext): boolean {
  return (ctx.env[KEYRING_ENV] ?? "") !== "" || (ctx.env[SECRET_KEYS_ENV] ?? "") !== "";
}

function pathList(ctx: KeyContext, name: string): string[] {
  return (ctx.env[name] ?? "")
    .split(delimiter)
    .filter((p) => p !== "")
    .map((p) => (p === "~" || p.startsWith("~/") ? join(ctx.home, p.slice(1)) : resolve(ctx.cwd, p)));
}

/** GnuPG home as gpg would pick it: GNUPGHOME, else ~/.gnupg. */
export function gnupgHome(ctx: KeyContext): string {
  return ctx.env.GNUPGHOME || join(ctx.home, ".gnupg");
}

/** Parse one file: armored blocks (possibly several, public and private) or a binary keyring. */
async function readKeyFile(openpgp: OpenPgp, path: string, variable: string): Promise<Key[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read PGP key file ${path}: ${(e as NodeJS.ErrnoException).code ?? "error"}`, {
      hint: `check the paths in ${variable}`,
      cause: e,
    });
  }
  try {
    const text = bytes.toString("latin1");
    if (!text.includes("-----BEGIN PGP")) return await openpgp.readKeys({ binaryKeys: new Uint8Array(bytes) });
    const blocks = text.match(/-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g) ?? [];
    const keys: Key[] = [];
    for (const block of blocks) keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
    return keys;
  } catch (e) {
    throw new UsageError(`${path}: not a readable OpenPGP key file: ${(e as Error).message}`, {
      hint: `export keys with \`gpg --export -a FP\` or \`gpg --export-secret-keys -a FP\` and list the files in ${variable}`,
      cause: e,
    });
  }
}

async function loadAll(openpgp: OpenPgp, ctx: KeyContext): Promise<BuiltinKeys> {
  const files: { path: string; variable: string }[] = [
    ...pathList(ctx, SECRET_KEYS_ENV).map((path) => ({ path, variable: SECRET_KEYS_ENV })),
    ...pathList(ctx, KEYRING_ENV).map((path) => ({ path, variable: KEYRING_ENV })),
  ];
  // Like SOPS's own OpenPGP path, also read GnuPG 1.x keyrings when present (GnuPG >= 2.1
  // keeps keys in pubring.kbx and private-keys-v1.d, which only gpg itself reads).
  for (const name of ["secring.gpg", "pubring.gpg"]) {
    const path = join(gnupgHome(ctx), name);
    if (existsSync(path)) files.push({ path, variable: "GNUPGHOME" });
  }
  const all: Key[] = [];
  const secret: PrivateKey[] = [];
  for (const { path, variable } of files) {
    for (const key of await readKeyFile(openpgp, path, variable)) {
      all.push(key);
      if (key.isPrivate()) secret.push(key);
    }
  }
  return { all, secret };
}

/** The built-in backend's keys, loaded once per run. */
export function builtinKeys(openpgp: OpenPgp, ctx: KeyContext): Promise<BuiltinKeys> {
  let loaded = ctx.cache.get(CACHE_KEY) as Promise<BuiltinKeys> | undefined;
  if (!loaded) {
    loaded = loadAll(openpgp, ctx);
    ctx.cache.set(CACHE_KEY, loaded);
  }
  return loaded;
}
