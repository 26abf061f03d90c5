import type { KeyContext, MasterKey } from "../types.js";
import { trustedKeyId } from "./fingerprint.js";
import { PgpBackendError } from "./failure.js";
import { findGpg, gpgErrorCodes, hasStatus, runGpg, summarizeGpgError } from "./gpg-exec.js";
import type { GpgResult } from "./gpg-exec.js";

/** Batch runs fail fast; interactive ones may wait for a pinentry or a smartcard touch. */
const BATCH_TIMEOUT_MS = 60_000;
const INTERACTIVE_TIMEOUT_MS = 600_000;

const CACHE_KEY = "pgp:gpg-path";

/** The gpg binary for this run (memoized in ctx.cache), or undefined when there is none. */
export function gpgPath(ctx: KeyContext): string | undefined {
  if (!ctx.cache.has(CACHE_KEY)) ctx.cache.set(CACHE_KEY, findGpg(ctx));
  return (ctx.cache.get(CACHE_KEY) as ReturnType<typeof findGpg>).path;
}

function requireGpg(ctx: KeyContext): string {
  const path = gpgPath(ctx);
  if (path !== undefined) return path;
  const { name, configured } = findGpg(ctx);
  throw new PgpBackendError(
    configured ? `SOPS_GPG_EXEC names "${name}", which was not found or is not executable` : "gpg was not found on PATH",
    configured
      ? "set SOPS_GPG_EXEC to the path of a gpg binary, or unset it"
      : "install GnuPG, set SOPS_GPG_EXEC to its path, or use SOBRE_PGP_BACKEND=builtin with SOBRE_PGP_KEYRING/SOBRE_PGP_SECRET_KEYS",
  );
}

/**
 * `--batch` only when nobody can answer: interactive runs must let gpg-agent ask for a
 * passphrase or a smartcard (SOPS never passes `--batch`; we add it when there is no TTY
 * so gpg cannot hang on a question).
 */
function batchArgs(ctx: KeyContext): string[] {
  return ctx.promptSecret === undefined ? ["--batch"] : [];
}

function timeout(ctx: KeyContext): number {
  return ctx.promptSecret === undefined ? BATCH_TIMEOUT_MS : INTERACTIVE_TIMEOUT_MS;
}

async function run(ctx: KeyContext, args: string[], input: Uint8Array | string): Promise<GpgResult> {
  const path = requireGpg(ctx);
  try {
    return await runGpg({ path, args: [...batchArgs(ctx), ...args], input, timeoutMs: timeout(ctx), ctx });
  } catch (e) {
    throw new PgpBackendError(`could not run ${path}: ${(e as Error).message}`, "check SOPS_GPG_EXEC and PATH", e);
  }
}

/** INV_RECP reason codes (GnuPG doc/DETAILS) worth their own hint. */
function encryptHint(result: GpgResult, fp: string): string | undefined {
  const inv = result.status.find((s) => s.startsWith("INV_RECP "));
  const code = inv?.split(" ")[1];
  if (code === "1") return `import the public key first: \`gpg --import KEY.asc\` or \`gpg --recv-keys ${fp}\``;
  if (code === "4") return "the key is revoked: use another recipient";
  if (code === "5" || code === "0") return "the key is expired or cannot encrypt: extend its expiry or use another recipient";
  return undefined;
}

/** Encrypt `dataKey` to `key` with the user's gpg, as SOPS does; returns the trimmed armor. */
export async function gpgWrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string> {
  const fp = key.id;
  const trusted = trustedKeyId(fp);
  const args = ["--no-default-recipient", "--yes", "--encrypt", "-a", "-r", fp];
  args.push(...(trusted === undefined ? [] : ["--trusted-key", trusted]), "--no-encrypt-to");
  const result = await run(ctx, args, dataKey);
  const armored = result.stdout.toString("utf8").trim();
  if (result.code !== 0 || !armored.startsWith("-----BEGIN PGP MESSAGE-----")) {
    throw new PgpBackendError(summarizeGpgError(result), encryptHint(result, fp));
  }
  return armored;
}

/** libgpg-error codes (gpg-error.h). */
const GPG_ERR_BAD_PASSPHRASE = 11;
const GPG_ERR_NO_SECKEY = 17;
const GPG_ERR_NO_PIN_ENTRY = 85;
const GPG_ERR_CANCELED = 99;

function decryptHint(result: GpgResult): string | undefined {
  if (result.timedOut) return "unlock the key in gpg-agent first (e.g. decrypt any file with gpg), or check the smartcard";
  const codes = gpgErrorCodes(result);
  if (hasStatus(result, "BAD_PASSPHRASE") || codes.includes(GPG_ERR_BAD_PASSPHRASE)) return "check the passphrase of the secret key";
  if (codes.includes(GPG_ERR_CANCELED)) return "the passphrase prompt was cancelled: run again and enter the passphrase";
  const text = result.messages.join("\n");
  if (
    hasStatus(result, "MISSING_PASSPHRASE") ||
    codes.includes(GPG_ERR_NO_PIN_ENTRY) ||
    /pinentry|inappropriate ioctl|no such device/i.test(text)
  ) {
    return "gpg could not ask for the passphrase: run in a terminal with `export GPG_TTY=$(tty)`, or unlock the key in gpg-agent first";
  }
  if (hasStatus(result, "NODATA") || /CRC error|invalid packet|invalid armor|no valid OpenPGP/i.test(text)) {
    return "the `enc` field is damaged or not an OpenPGP message: restore the file from version control";
  }
  return undefined;
}

/**
 * Decrypt `enc` with the user's gpg (`gpg -d`, agent and pinentry allowed).
 * Returns null when gpg has no secret key for the message's recipients (`NO_SECKEY` and
 * nothing else went wrong), so the caller tries the next master key.
 */
export async function gpgUnwrap(enc: string, ctx: KeyContext): Promise<Uint8Array | null> {
  const result = await run(ctx, ["-d"], enc);
  // Status lines prove gpg decrypted (not merely verified a signed message).
  const okay = hasStatus(result, "DECRYPTION_OKAY") || result.status.length === 0;
  if (result.code === 0 && okay) {
    if (result.stdout.length === 0) throw new PgpBackendError("gpg returned zero bytes");
    return new Uint8Array(result.stdout);
  }
  if (result.code === 0) {
    throw new PgpBackendError("the `enc` field is not an encrypted OpenPGP message", "restore the file from version control");
  }
  // Null only for a clean "none of my keys": any other trouble (passphrase, pinentry,
  // corrupt data: ERROR/FAILURE/NODATA status) is a failure to report.
  const problems = ["BAD_PASSPHRASE", "MISSING_PASSPHRASE", "NODATA"];
  const otherErrors = gpgErrorCodes(result).filter((code) => code !== GPG_ERR_NO_SECKEY);
  const clean = !result.timedOut && otherErrors.length === 0 && !problems.some((p) => hasStatus(result, p));
  if (clean && hasStatus(result, "NO_SECKEY")) return null;
  throw new PgpBackendError(summarizeGpgError(result), decryptHint(result));
}
