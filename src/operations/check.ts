import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { repoRoot, stagedBlob, stagedFiles } from "../git/git-cli.js";
import type { RuleSet } from "../git/rules.js";
import { walkFiles } from "../git/walk-files.js";
import type { KeyContext } from "../keys/types.js";
import { inspectFile, type FileReport } from "./inspect-file.js";

export interface CheckOptions {
  cwd: string;
  rules: RuleSet | undefined;
  /** Check the index (what `git commit` would record), not the worktree. */
  staged: boolean;
  /** Files or directories; default: the current directory. */
  paths: readonly string[];
  keyContext: KeyContext;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface CheckResult {
  checked: number;
  /** Files with problems only. */
  failures: FileReport[];
}

/**
 * The pre-commit guard: every file a creation rule covers must be encrypted, for the
 * recipients the rule names. Reads only metadata, so it needs no key and stays fast.
 */
export async function check(opts: CheckOptions): Promise<CheckResult> {
  const items: { abs: string; display: string; read: () => Uint8Array }[] = [];
  if (opts.staged) {
    const root = repoRoot(opts.cwd, opts.env);
    for (const rel of stagedFiles(root, opts.env)) {
      const abs = join(root, rel);
      items.push({ abs, display: relative(opts.cwd, abs) || rel, read: () => stagedBlob(root, rel, opts.env) });
    }
  } else {
    for (const p of opts.paths.length > 0 ? opts.paths : ["."]) {
      const abs = isAbsolute(p) ? p : resolve(opts.cwd, p);
      const list = statSync(abs).isDirectory() ? walkFiles(abs) : [abs];
      for (const f of list) items.push({ abs: f, display: relative(opts.cwd, f) || f, read: () => readFileSync(f) });
    }
  }
  const failures: FileReport[] = [];
  let checked = 0;
  for (const item of items) {
    const rule = opts.rules?.ruleFor(item.abs);
    // No rule applies: nothing is required of this file, so it is not even read.
    if (!rule) continue;
    const report = await inspectFile({ bytes: item.read(), absPath: item.abs, display: item.display, rules: opts.rules, verifyMac: false, keyContext: opts.keyContext });
    if (!report) continue;
    checked++;
    if (report.problems.length > 0) failures.push(report);
  }
  return { checked, failures };
}
