import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import { UsageError } from "../errors.js";
import { git, gitOk, repoRoot } from "../git/git-cli.js";
import { regexToGlobs } from "../git/regex-glob.js";
import type { RuleSet } from "../git/rules.js";
import { writeFileAtomic } from "./file-io.js";

export interface GitSetupOptions {
  cwd: string;
  rules: RuleSet | undefined;
  /** `--pattern` globs; default: derived from the rules' `path_regex`. */
  patterns: readonly string[];
  /** How git should invoke sobre (default `sobre`; e.g. `npx sobre`). */
  command: string;
  /** Write the drivers into the user's global git config instead of the repository's. */
  global: boolean;
  /** Install `.git/hooks/pre-commit` running `sobre check --staged`. */
  hook: boolean;
  /** Replace an existing pre-commit hook that sobre did not write. */
  force: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

/** What setup did, one line per change (empty lines never). */
export interface GitSetupResult {
  changes: string[];
  unchanged: string[];
}

const ATTR_MARK = "# sobre: decrypted diffs and value-level merges of SOPS files (sobre git setup)";
const HOOK_MARK = "# installed by sobre git setup";

/**
 * Wire sobre into git, idempotently: `.gitattributes` (diff=sobre merge=sobre) for the
 * files the creation rules cover, the diff/merge drivers in git config, and optionally
 * a pre-commit hook. Git's `cachetextconv` stays off: it would store plaintext in
 * `refs/notes/textconv`; sobre keeps its own encrypted cache.
 */
export function gitSetup(opts: GitSetupOptions): GitSetupResult {
  const root = repoRoot(opts.cwd, opts.env);
  const result: GitSetupResult = { changes: [], unchanged: [] };
  const attrDir = opts.rules && isInside(root, opts.rules.dir) ? opts.rules.dir : root;
  writeAttributes(join(attrDir, ".gitattributes"), patternsFor(opts), result, root);
  configureDrivers(opts, root, result);
  if (opts.hook) installHook(opts, root, result);
  return result;
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return !rel.startsWith("..") && !isAbsolute(rel);
}

function patternsFor(opts: GitSetupOptions): string[] {
  if (opts.patterns.length > 0) return [...opts.patterns];
  if (!opts.rules) {
    throw new UsageError("no .sops.yaml creation rules to derive .gitattributes patterns from", { hint: "pass --pattern GLOB (e.g. --pattern '*.enc.yaml'), repeatable" });
  }
  const out: string[] = [];
  for (const regex of opts.rules.pathRegexes) {
    if (regex === undefined) continue;
    const globs = regexToGlobs(regex);
    if (!globs) {
      throw new UsageError(`${opts.rules.display}: cannot turn path_regex ${JSON.stringify(regex)} into a .gitattributes pattern`, {
        hint: "pass the equivalent globs with --pattern GLOB (repeatable)",
      });
    }
    for (const g of globs) if (!out.includes(g)) out.push(g);
  }
  if (out.length === 0) {
    throw new UsageError(`${opts.rules.display}: no creation rule has a path_regex`, { hint: "pass --pattern GLOB (repeatable)" });
  }
  return out;
}

function writeAttributes(path: string, patterns: readonly string[], result: GitSetupResult, root: string): void {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const lines = existing.split("\n");
  const has = (p: string): boolean => lines.some((l) => l.trim().split(/\s+/)[0] === p && /\bdiff=sobre\b/.test(l) && /\bmerge=sobre\b/.test(l));
  const missing = patterns.filter((p) => !has(p));
  const shown = relative(root, path) || path;
  if (missing.length === 0) {
    result.unchanged.push(`${shown}: already has ${patterns.join(", ")}`);
    return;
  }
  let text = existing;
  if (text.length > 0 && !text.endsWith("\n")) text += "\n";
  if (!existing.includes(ATTR_MARK)) text += `${text.length > 0 ? "\n" : ""}${ATTR_MARK}\n`;
  for (const p of missing) text += `${p} diff=sobre merge=sobre\n`;
  writeFileAtomic(path, Buffer.from(text), { mode: 0o644 });
  result.changes.push(`${shown}: added ${missing.map((p) => `${p} diff=sobre merge=sobre`).join(", ")}`);
}

function configureDrivers(opts: GitSetupOptions, root: string, result: GitSetupResult): void {
  const scope = opts.global ? "--global" : "--local";
  const wanted: [string, string][] = [
    ["diff.sobre.textconv", `${opts.command} git textconv`],
    ["diff.sobre.cachetextconv", "false"],
    ["merge.sobre.name", "sobre: merge SOPS files value by value"],
    ["merge.sobre.driver", `${opts.command} git merge %O %A %B %P`],
  ];
  for (const [key, value] of wanted) {
    const current = git(["config", scope, "--get", key], root, opts.env);
    if (current.status === 0 && current.stdout.toString("utf8").trim() === value) {
      result.unchanged.push(`git config ${scope} ${key}`);
      continue;
    }
    gitOk(["config", scope, key, value], root, opts.env);
    result.changes.push(`git config ${scope} ${key} ${JSON.stringify(value)}`);
  }
}

function installHook(opts: GitSetupOptions, root: string, result: GitSetupResult): void {
  const hooksDir = gitOk(["rev-parse", "--git-path", "hooks"], root, opts.env).toString("utf8").trim();
  const dir = isAbsolute(hooksDir) ? hooksDir : join(root, hooksDir);
  const path = join(dir, "pre-commit");
  const body = `#!/bin/sh\n${HOOK_MARK}: refuse to commit plaintext or mis-keyed SOPS files\nexec ${opts.command} check --staged --quiet\n`;
  if (existsSync(path)) {
    const current = readFileSync(path, "utf8");
    if (current === body) {
      result.unchanged.push(`${relative(root, path)}: already installed`);
      return;
    }
    if (!current.includes(HOOK_MARK) && !opts.force) {
      throw new UsageError(`${relative(root, path)} already exists and was not written by sobre`, {
        hint: `add \`${opts.command} check --staged\` to it yourself, or pass --force to replace it`,
      });
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, Buffer.from(body), { mode: 0o755 });
  chmodSync(path, 0o755); // a replaced hook keeps its old mode otherwise
  result.changes.push(`${relative(root, path)}: runs \`${opts.command} check --staged\``);
}
