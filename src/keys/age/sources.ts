/**
 * Where identities come from, in SOPS 3.13's set of places: SOPS_AGE_KEY,
 * SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, the user config keys.txt, then SSH keys
 * (SOPS_AGE_SSH_PRIVATE_KEY_FILE, SOPS_AGE_SSH_PRIVATE_KEY_CMD, ~/.ssh/id_ed25519,
 * ~/.ssh/id_rsa). Loading never throws: problems are collected for the final message.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyContext } from "../types.js";
import { isEncryptedIdentityFile } from "./format.js";
import type { AgeIdentity } from "./identity.js";
import { parseIdentityText, type ParsedIdentities } from "./identity-parse.js";
import { lazyIdentity } from "./lazy-identity.js";

/** Identities plus the problems and empty places met while loading them. */
export interface LoadedIdentities extends ParsedIdentities {
  /** Places looked at that held nothing, for the "did not find keys in …" hint. */
  searched: string[];
}

/** `~`-shortened path for messages. */
export function displayPath(path: string, home: string): string {
  return home && path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
}

/** SOPS's user config dir: os.UserConfigDir, but honouring XDG_CONFIG_HOME on macOS. */
export function userConfigDirs(ctx: KeyContext): string[] {
  const xdg = ctx.env.XDG_CONFIG_HOME;
  if (process.platform === "win32") return ctx.env.AppData ? [ctx.env.AppData] : [];
  if (xdg && xdg.startsWith("/")) return [xdg];
  if (process.platform === "darwin") {
    // SOPS looks only in Library; ~/.config is where many Mac users put keys.txt anyway.
    return [join(ctx.home, "Library", "Application Support"), join(ctx.home, ".config")];
  }
  return [join(ctx.home, ".config")];
}

function readText(path: string): string {
  // latin1 keeps binary (non-armored) encrypted identity files byte-exact.
  return readFileSync(path).toString("latin1");
}

function askFor(ctx: KeyContext, what: string): () => Promise<string> {
  return () => {
    if (!ctx.promptSecret) return Promise.reject(new Error(`${what} needs a passphrase, but there is no terminal to ask`));
    return ctx.promptSecret(`Enter passphrase for ${what}: `);
  };
}

/** Parse identity text from one place, handling passphrase-encrypted identity files. */
export function identitiesFromText(text: string, location: string, ctx: KeyContext, multiplePerLine = false): ParsedIdentities {
  if (isEncryptedIdentityFile(text.trimStart())) {
    const parse = (plain: string): AgeIdentity[] => parseIdentityText(plain, location, ctx).identities;
    const raw = text.trimStart();
    const load = async (): Promise<AgeIdentity> =>
      (await import("./scrypt.js")).encryptedIdentityFile({ raw, source: location, askPassphrase: askFor(ctx, location), parse });
    return { identities: [lazyIdentity({ source: location, interactive: true, load })], errors: [] };
  }
  return parseIdentityText(text, location, ctx, multiplePerLine);
}

/** The SSH key code, loaded only when an SSH identity exists. */
async function sshModules(): Promise<[typeof import("./ssh.js"), typeof import("./ssh-private.js"), typeof import("./ssh-wire.js")]> {
  return Promise.all([import("./ssh.js"), import("./ssh-private.js"), import("./ssh-wire.js")]);
}

async function sshFromFile(path: string, ctx: KeyContext, out: LoadedIdentities): Promise<void> {
  const shown = displayPath(path, ctx.home);
  const [{ sshIdentity }, { parseSshPrivateKey }, { parseAuthorizedKey }] = await sshModules();
  try {
    const text = readText(path);
    const pubLine = (): ReturnType<typeof parseAuthorizedKey> => parseAuthorizedKey(readText(path + ".pub"));
    const file = parseSshPrivateKey(text, pubLine);
    const ask = askFor(ctx, shown);
    out.identities.push(sshIdentity(file.pub, () => file.resolve(ask), shown, file.encrypted));
  } catch (err) {
    out.errors.push(`${shown}: invalid SSH identity: ${(err as Error).message}`);
  }
}

/** Load the identities that do not depend on the recipient (memoize per run). */
export async function loadStaticIdentities(ctx: KeyContext): Promise<LoadedIdentities> {
  const out: LoadedIdentities = { identities: [], errors: [], searched: [] };
  const add = (p: ParsedIdentities, place: string): void => {
    out.identities.push(...p.identities);
    out.errors.push(...p.errors);
    if (p.identities.length === 0 && p.errors.length === 0) out.searched.push(place);
  };
  const inline = ctx.env.SOPS_AGE_KEY;
  if (inline !== undefined) add(identitiesFromText(inline, "SOPS_AGE_KEY", ctx, true), "SOPS_AGE_KEY");
  else out.searched.push("SOPS_AGE_KEY");

  const keyFile = ctx.env.SOPS_AGE_KEY_FILE;
  if (keyFile !== undefined) {
    try {
      add(identitiesFromText(readText(keyFile), displayPath(keyFile, ctx.home), ctx), keyFile);
    } catch (err) {
      out.errors.push(`SOPS_AGE_KEY_FILE: cannot read ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
  } else out.searched.push("SOPS_AGE_KEY_FILE");

  for (const dir of userConfigDirs(ctx)) {
    const path = join(dir, "sops", "age", "keys.txt");
    const shown = displayPath(path, ctx.home);
    if (!existsSync(path)) {
      out.searched.push(shown);
      continue;
    }
    try {
      add(identitiesFromText(readText(path), shown, ctx), shown);
    } catch (err) {
      out.errors.push(`${shown}: cannot read: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    break;
  }

  const sshFile = ctx.env.SOPS_AGE_SSH_PRIVATE_KEY_FILE;
  if (sshFile !== undefined) await sshFromFile(sshFile, ctx, out);
  for (const name of ["id_ed25519", "id_rsa"]) {
    const path = join(ctx.home, ".ssh", name);
    if (existsSync(path)) await sshFromFile(path, ctx, out);
    else out.searched.push(displayPath(path, ctx.home));
  }
  return out;
}

/**
 * Load identities from the commands, which SOPS runs per recipient with
 * SOPS_AGE_RECIPIENT set to the recipient being decrypted.
 */
export async function loadCommandIdentities(ctx: KeyContext, recipient: string): Promise<LoadedIdentities> {
  const out: LoadedIdentities = { identities: [], errors: [], searched: [] };
  const env = { ...ctx.env, SOPS_AGE_RECIPIENT: recipient };
  const { runKeyCommand } = await import("./run-command.js");
  const keyCmd = ctx.env.SOPS_AGE_KEY_CMD;
  if (keyCmd !== undefined) {
    try {
      const text = (await runKeyCommand("SOPS_AGE_KEY_CMD", keyCmd, env)).toString("latin1");
      const parsed = identitiesFromText(text, "SOPS_AGE_KEY_CMD output", ctx);
      out.identities.push(...parsed.identities);
      out.errors.push(...parsed.errors);
    } catch (err) {
      out.errors.push((err as Error).message);
    }
  }
  const sshCmd = ctx.env.SOPS_AGE_SSH_PRIVATE_KEY_CMD;
  if (sshCmd !== undefined) {
    try {
      const text = (await runKeyCommand("SOPS_AGE_SSH_PRIVATE_KEY_CMD", sshCmd, env)).toString("latin1");
      const [{ sshIdentity }, { parseSshPrivateKey }] = await sshModules();
      const file = parseSshPrivateKey(text);
      if (file.encrypted) throw new Error("SOPS_AGE_SSH_PRIVATE_KEY_CMD: the key is passphrase-protected, which is unsupported");
      out.identities.push(sshIdentity(file.pub, () => file.resolve(askFor(ctx, "")), "SOPS_AGE_SSH_PRIVATE_KEY_CMD output"));
    } catch (err) {
      const msg = (err as Error).message;
      out.errors.push(msg.startsWith("SOPS_AGE_SSH") ? msg : `SOPS_AGE_SSH_PRIVATE_KEY_CMD: invalid SSH identity: ${msg}`);
    }
  }
  return out;
}
