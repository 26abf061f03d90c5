import { spawnSync } from "node:child_process";
import { UsageError } from "../errors.js";

export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

/** Run git synchronously (short commands only); never through a shell. */
export function git(args: readonly string[], cwd: string, env?: Readonly<Record<string, string | undefined>>): GitResult {
  const r = spawnSync("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, ...(env ? { env: env as NodeJS.ProcessEnv } : {}) });
  if (r.error) {
    throw new UsageError(`cannot run git (${(r.error as NodeJS.ErrnoException).code ?? "error"})`, { hint: "install git and make sure it is on PATH", cause: r.error });
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString("utf8") };
}

/** Like {@link git} but throws a UsageError naming the command when it fails. */
export function gitOk(args: readonly string[], cwd: string, env?: Readonly<Record<string, string | undefined>>): Buffer {
  const r = git(args, cwd, env);
  if (r.status !== 0) {
    throw new UsageError(`git ${args[0]} failed: ${r.stderr.trim().split("\n")[0] ?? ""}`, { hint: "run it inside a git repository" });
  }
  return r.stdout;
}

/** The worktree root containing `cwd`. */
export function repoRoot(cwd: string, env?: Readonly<Record<string, string | undefined>>): string {
  return gitOk(["rev-parse", "--show-toplevel"], cwd, env).toString("utf8").trim();
}

/** Paths (relative to the repo root) of files added/changed in the index. */
export function stagedFiles(root: string, env?: Readonly<Record<string, string | undefined>>): string[] {
  const out = gitOk(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"], root, env).toString("utf8");
  return out.split("\0").filter(Boolean);
}

/** The staged content of a path (what would be committed). */
export function stagedBlob(root: string, path: string, env?: Readonly<Record<string, string | undefined>>): Buffer {
  return gitOk(["cat-file", "blob", `:${path}`], root, env);
}
