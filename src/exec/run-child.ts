import { spawn } from "node:child_process";
import { constants } from "node:os";
import { ExecError } from "../errors.js";
import { signalTargets } from "./process-tree.js";

/** Signals sobre passes on to its child (SOPS #840: SOPS dropped them). */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** How signals reach the child; see RunChildOptions.mode. */
export type SignalMode = "interactive" | "supervised";

/** How the child ended: an exit code, or the signal that killed it. */
export interface ChildStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Signals sobre itself received (and forwarded) while the child ran. */
  received: NodeJS.Signals[];
}

export interface RunChildOptions {
  /** Shell command, run as `/bin/sh -c COMMAND` like SOPS. */
  command: string;
  /** The child's complete environment. */
  env: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /**
   * `interactive` (a terminal is attached): keyboard SIGINT/SIGQUIT already reach the
   * child from the terminal (same foreground process group), so only SIGTERM/SIGHUP are
   * forwarded. `supervised` (default; docker, systemd, CI, pipes): all four are.
   */
  mode?: SignalMode;
  /** Runs once the child has started (e.g. start serving a FIFO). */
  onSpawn?: (pid: number) => void;
}

/**
 * Run a shell command with inherited stdio, forwarding signals, and resolve with how it
 * ended. While the child runs, sobre handles the forwarded signals itself instead of
 * dying, so the caller can always clean up after the child exits.
 */
export function runChild(opts: RunChildOptions): Promise<ChildStatus> {
  const interactive = opts.mode === "interactive";
  return new Promise((resolve, reject) => {
    const received: NodeJS.Signals[] = [];
    const handlers = new Map<NodeJS.Signals, () => void>();
    const detach = (): void => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
      handlers.clear();
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn("/bin/sh", ["-c", opts.command], {
        env: opts.env,
        stdio: "inherit",
        ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
        ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
        ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      });
    } catch (err) {
      reject(spawnError(err));
      return;
    }
    const forward = new Set(interactive ? ["SIGTERM", "SIGHUP"] : FORWARDED_SIGNALS);
    // Listen to all of them, so sobre outlives the child and can clean up even for a
    // signal it does not forward (the child got that one from the terminal already).
    for (const sig of FORWARDED_SIGNALS) {
      const h = (): void => {
        received.push(sig);
        if (forward.has(sig) && child.exitCode === null && child.signalCode === null && child.pid !== undefined) signalCommand(child.pid, sig);
      };
      handlers.set(sig, h);
      process.on(sig, h);
    }
    child.once("error", (err) => {
      detach();
      reject(spawnError(err));
    });
    child.once("spawn", () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.once("exit", (code, signal) => {
      detach();
      resolve({ code, signal, received });
    });
  });
}

function signalCommand(pid: number, sig: NodeJS.Signals): void {
  for (const target of signalTargets(pid)) {
    try {
      process.kill(target, sig);
    } catch {
      // already exited
    }
  }
}

function spawnError(err: unknown): ExecError {
  const code = (err as NodeJS.ErrnoException).code ?? "error";
  return new ExecError(`cannot run the command with /bin/sh (${code})`, {
    hint: code === "EPERM" ? "switching user needs root" : "check that /bin/sh exists and the command is right",
    cause: err,
  });
}

/** Signals held (recorded instead of killing sobre) while plaintext exists on disk. */
export interface SignalHold {
  readonly received: NodeJS.Signals[];
  release(): void;
}

/** Keep sobre alive through FORWARDED_SIGNALS until `release()`, recording them. */
export function holdSignals(): SignalHold {
  const received: NodeJS.Signals[] = [];
  const handlers = FORWARDED_SIGNALS.map((sig) => {
    const h = (): void => void received.push(sig);
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    received,
    release: () => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
    },
  };
}

/** Shell convention for a signal death: 128 + signal number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (n ?? 0);
}
