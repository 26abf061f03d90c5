import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { KeyContext } from "../types.js";

/** What one gpg run produced. stdout holds the armored message or the data key: never log it. */
export interface GpgResult {
  code: number | null;
  stdout: Buffer;
  /** Human-readable stderr lines (the `[GNUPG:]` status lines removed). */
  messages: string[];
  /** `--status-fd 2` lines without the `[GNUPG:] ` prefix, e.g. `NO_SECKEY 25294A17CD90507F`. */
  status: string[];
  timedOut: boolean;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== "win32") accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Locate the gpg binary: `SOPS_GPG_EXEC` (a path or a command name, as in SOPS; it is
 * exec'd directly, so it cannot carry arguments) or `gpg`, searched on the context's PATH.
 * Returns undefined when not found; `configured` tells whether the user asked for it.
 */
export function findGpg(ctx: KeyContext): { path: string | undefined; name: string; configured: boolean } {
  const configured = (ctx.env.SOPS_GPG_EXEC ?? "") !== "";
  const name = configured ? (ctx.env.SOPS_GPG_EXEC as string) : "gpg";
  const exts = process.platform === "win32" ? ["", ...(ctx.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  if (isAbsolute(name) || name.includes("/") || name.includes("\\")) {
    const full = resolve(ctx.cwd, name);
    return { path: exts.map((e) => full + e).find(isExecutable), name, configured };
  }
  for (const dir of (ctx.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate)) return { path: candidate, name, configured };
    }
  }
  return { path: undefined, name, configured };
}

/** The environment gpg runs in: the user's own (GNUPGHOME, GPG_TTY, agent sockets) plus HOME. */
function gpgEnv(ctx: KeyContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  env.HOME ??= ctx.home;
  return env;
}

/** Options of one gpg run. */
export interface GpgRunOptions {
  path: string;
  args: string[];
  input: Uint8Array | string;
  timeoutMs: number;
  ctx: KeyContext;
}

/**
 * Run gpg with `--status-fd 2` prepended, feeding `input` on stdin. Never rejects for a
 * non-zero exit: callers interpret `code` and `status`. Rejects only if gpg cannot start.
 */
export function runGpg(options: GpgRunOptions): Promise<GpgResult> {
  const { path, args, input, timeoutMs, ctx } = options;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(path, ["--status-fd", "2", ...args], {
      cwd: ctx.cwd,
      env: gpgEnv(ctx),
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const lines = Buffer.concat(err).toString("utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
      const status = lines.filter((l) => l.startsWith("[GNUPG:] ")).map((l) => l.slice(9));
      const messages = lines.filter((l) => !l.startsWith("[GNUPG:] "));
      resolvePromise({ code, stdout: Buffer.concat(out), messages, status, timedOut });
    });
    // gpg may exit before reading stdin (bad option): ignore EPIPE, the exit code tells.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

/** Whether a status keyword (first word) occurs. */
export function hasStatus(result: GpgResult, keyword: string): boolean {
  return result.status.some((s) => s === keyword || s.startsWith(`${keyword} `));
}

const NOTABLE = /failed|error|invalid|no valid|no secret|no public|bad |unusable|expired|revoked|not found|skipped|cancel|pinentry|timeout|card/i;
/** Lines that look alarming but only report an absent optional component. */
const NOISE = /scdaemon|smartcard daemon|^WARNING|preference/i;

/**
 * One line saying why gpg failed, from its human messages: the first notable line (the
 * cause, e.g. `public key decryption failed: Bad passphrase`, before the consequence
 * `decryption failed: No secret key`), `gpg: ` prefix dropped, at most 200 characters.
 * gpg's messages carry key ids and user ids, never the plaintext.
 */
export function summarizeGpgError(result: GpgResult): string {
  if (result.timedOut) return "gpg did not finish in time (waiting for a passphrase or a smartcard?)";
  // Indented lines continue the previous one (the quoted user id): any text, never a cause.
  const lines = result.messages
    .filter((l) => !/^\s/.test(l))
    .map((l) => l.replace(/^gpg:\s*/, "").replace(/^\[stdin\]:\s*/, "").trim())
    .filter((l) => l !== "" && !/^encrypted with /.test(l));
  const notable = lines.filter((l) => NOTABLE.test(l) && !NOISE.test(l));
  const line = notable[0] ?? lines[lines.length - 1] ?? `gpg exited with code ${String(result.code)}`;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * libgpg-error codes from `ERROR`/`FAILURE` status lines (the low 16 bits), e.g. 11 = bad
 * passphrase, 85 = no pinentry, 99 = cancelled. Locale-independent, unlike the messages.
 */
export function gpgErrorCodes(result: GpgResult): number[] {
  return result.status
    .filter((s) => s.startsWith("ERROR ") || s.startsWith("FAILURE "))
    .map((s) => Number(s.split(" ")[2] ?? "0") % 65536)
    .filter((n) => n > 0);
}
