import { spawn } from "node:child_process";
import { accessSync, constants as fsConstants, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import { EXIT, ExitError } from "../errors.js";
import { createPrivateDir, memoryBackedCandidates } from "./private-dir.js";
import { splitCommand as splitShellWords } from "../shlex.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The fallback editors, in SOPS's order. */
const DEFAULT_EDITORS = ["vim", "nano", "vi"];

/** Exit codes for an edit cut short by a signal (SIGINT = SOPS's KeyboardInterrupt). */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: EXIT.KeyboardInterrupt, SIGTERM: 143, SIGHUP: 129, SIGQUIT: 131 };
const HANDLED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** Find an executable on `$PATH`. */
export function lookPath(name: string, env: Env): string | undefined {
  if (name.includes("/")) return name;
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The editor command line: `$SOPS_EDITOR`, else `$EDITOR` (split into words, so
 * `code --wait` works), else the first of vim, nano, vi on `$PATH`. Exit 201 otherwise.
 */
export function editorCommand(env: Env): string[] {
  for (const name of ["SOPS_EDITOR", "EDITOR"]) {
    const value = env[name];
    if (!value || value.trim() === "") continue;
    let words: string[];
    try {
      words = splitShellWords(value);
    } catch (err) {
      throw new ExitError(EXIT.NoEditorFound, `invalid $${name}: ${(err as Error).message}`, { hint: `fix the quoting in ${name}, e.g. ${name}="code --wait"` });
    }
    if (words.length > 0) return words;
  }
  for (const name of DEFAULT_EDITORS) {
    const found = lookPath(name, env);
    if (found) return [found];
  }
  throw new ExitError(EXIT.NoEditorFound, `no editor found: $SOPS_EDITOR and $EDITOR are unset and none of ${DEFAULT_EDITORS.join(", ")} is on $PATH`, {
    hint: 'set EDITOR, e.g. EDITOR="code --wait" or EDITOR=nano',
  });
}

/** One open edit: the temp file and a way to run the editor on it. */
export interface EditorSession {
  /** The temp file's path (0600, in a private 0700 directory). */
  readonly path: string;
  /** Run the editor until it exits; returns the file's content afterwards. */
  edit(): Promise<Uint8Array>;
}

export interface EditorOptions {
  env: Env;
  /** Terminal-generated SIGINT already reaches the editor; forward it only when not a TTY. */
  stdinIsTTY: boolean;
}

/**
 * Write `content` to a private temp file named like `name` (so the editor picks the right
 * syntax), let `use` run the editor on it, and remove the file and its directory on every
 * exit path. The directory is on tmpfs when one is available, so plaintext never reaches
 * a disk. Signals received meanwhile are handled here rather than killing sobre: SIGTERM
 * and SIGHUP stop the editor and end the edit; SIGINT ends it only if the editor dies of it
 * (vim ignores Ctrl-C, and the user's work must not be thrown away for that).
 */
export async function withEditorSession<T>(name: string, content: Uint8Array, opts: EditorOptions, use: (session: EditorSession) => Promise<T>): Promise<T> {
  const command = editorCommand(opts.env);
  const parent = memoryBackedCandidates(opts.env)[0] ?? tmpdir();
  const dir = createPrivateDir({ env: opts.env, parent });
  const path = join(dir.path, basename(name) || "file");
  const received: NodeJS.Signals[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  let abort: ((err: Error) => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    abort = reject;
  });
  aborted.catch(() => {});
  const handlers = HANDLED.map((sig) => {
    const handler = (): void => {
      received.push(sig);
      const running = child && child.exitCode === null && child.signalCode === null;
      const fatal = sig !== "SIGINT" && sig !== "SIGQUIT";
      if (running && (fatal || !opts.stdinIsTTY)) child!.kill(sig);
      // With no editor running (e.g. waiting at a prompt), any signal ends the edit now.
      if (!running) abort!(interrupted(sig));
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  try {
    writeFileSync(path, content, { mode: 0o600, flag: "wx" });
    const session: EditorSession = {
      path,
      edit: async () => {
        await new Promise<void>((resolve, reject) => {
          const [program, ...args] = command;
          child = spawn(program!, [...args, path], { stdio: "inherit", env: opts.env as NodeJS.ProcessEnv });
          child.once("error", (err) => {
            child = undefined;
            const code = (err as NodeJS.ErrnoException).code ?? "error";
            reject(new ExitError(EXIT.NoEditorFound, `could not run editor ${JSON.stringify(program)} (${code})`, { hint: "set SOPS_EDITOR or EDITOR to an installed editor" }));
          });
          child.once("exit", (code, signal) => {
            child = undefined;
            const fatal = received.find((s) => s !== "SIGINT" && s !== "SIGQUIT");
            if (signal || fatal) reject(interrupted(fatal ?? signal ?? "SIGINT"));
            else if (code !== 0) reject(new ExitError(EXIT.NoEditorFound, `the editor exited with status ${code}; the file was not changed`, { hint: "save and quit the editor normally to keep your changes" }));
            else resolve();
          });
        });
        return readFileSync(path);
      },
    };
    const used = use(session);
    // If a signal wins the race, `used` may still settle later: never leave it unhandled.
    used.catch(() => {});
    return await Promise.race([used, aborted]);
  } finally {
    for (const [sig, handler] of handlers) process.removeListener(sig, handler);
    if (child && child.exitCode === null) child.kill("SIGTERM");
    dir.remove();
  }
}

function interrupted(sig: NodeJS.Signals): ExitError {
  return new ExitError(SIGNAL_EXIT[sig] ?? 1, `edit interrupted by ${sig}; the file was not changed and the temporary plaintext was removed`);
}
