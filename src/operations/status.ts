import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { RuleSet } from "../git/rules.js";
import { fileSize, walkFiles } from "../git/walk-files.js";
import type { KeyContext } from "../keys/types.js";
import { inspectFile, type FileReport } from "./inspect-file.js";

/** Files larger than this are not read just to find out whether they are SOPS files. */
const SNIFF_LIMIT = 16 * 1024 * 1024;

export interface StatusOptions {
  /** File or directory to report on (default: cwd). */
  target: string;
  cwd: string;
  rules: RuleSet | undefined;
  verifyMac: boolean;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
  /** Called after each file (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export interface StatusResult {
  /** The config the rules came from, if any. */
  config?: string;
  files: FileReport[];
  /** Any file with a problem: CI should fail. */
  drift: boolean;
}

/**
 * Drift report for a tree: every file a rule's `path_regex` covers (encrypted or not)
 * and every SOPS file found, with recipients vs rule, last modified and MAC state.
 */
export async function status(opts: StatusOptions): Promise<StatusResult> {
  const target = isAbsolute(opts.target) ? opts.target : resolve(opts.cwd, opts.target);
  const candidates = statSync(target).isDirectory() ? walkFiles(target) : [target];
  // Without a catch-all rule only path_regex-covered files can matter, unless a stray
  // encrypted file sits elsewhere; sniffing every file finds those too (status is thorough).
  const files: FileReport[] = [];
  let done = 0;
  for (const abs of candidates) {
    done++;
    const size = fileSize(abs);
    const covered = !!opts.rules?.ruleFor(abs)?.pathRegex;
    if (size === undefined || (!covered && size > SNIFF_LIMIT)) continue;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(abs);
    } catch {
      continue;
    }
    const report = await inspectFile({
      bytes,
      absPath: abs,
      display: relative(opts.cwd, abs) || abs,
      rules: opts.rules,
      verifyMac: opts.verifyMac,
      keyContext: opts.keyContext,
      ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    });
    if (report) files.push(report);
    opts.onProgress?.(done, candidates.length);
  }
  return { ...(opts.rules ? { config: opts.rules.display } : {}), files, drift: files.some((f) => f.problems.length > 0) };
}
