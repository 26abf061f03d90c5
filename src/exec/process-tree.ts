import { readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";

/** Direct children of `parent` (Linux `/proc`; empty elsewhere). */
export function childrenOf(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      // `pid (comm) state ppid …`: comm may contain spaces and parens, so parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/**
 * Whom to signal so the user's program gets it as if sobre had exec'd it. We run
 * `/bin/sh -c COMMAND`; bash execs a lone command but dash forks it, and a shell killed
 * by SIGTERM would orphan the program and lose its exit status. So while the child is
 * still the shell, signal the shell's own children (the running command) and let the
 * shell report their status; once it has exec'd (or without /proc), signal it.
 */
export function signalTargets(pid: number, shell = "/bin/sh"): number[] {
  let shellPath: string;
  try {
    shellPath = realpathSync(shell);
  } catch {
    return [pid];
  }
  if (exeOf(pid) !== shellPath) return [pid];
  const kids = childrenOf(pid);
  return kids.length > 0 ? kids : [pid];
}
