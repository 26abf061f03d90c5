import { spawnSync } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { UsageError } from "../../../errors.js";
import { readInputFile, writeFileAtomic } from "../../../operations/file-io.js";
import { gitMerge } from "../../../operations/git-merge.js";
import { parseArgs, type OptionSpec } from "../../args.js";
import { DECRYPT_OPTIONS } from "../../common-options.js";
import type { CliIO } from "../../io.js";
import { decryptionOrder, keyContextFor } from "../../resolve.js";

export const options: readonly OptionSpec[] = [DECRYPT_OPTIONS[1]!];
export const usage = "sobre git merge BASE OURS THEIRS [PATH]   (git: merge.sobre.driver = sobre git merge %O %A %B %P)";

/**
 * git's merge driver. Exit 0: OURS now holds the merged file. Exit 1: conflict — OURS
 * holds a valid encrypted file with our values where the sides disagree, and git marks
 * the path conflicted (base/ours/theirs stay in the index for `sobre git conflicts`).
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length < 3 || positionals.length > 4) throw new UsageError("git merge takes BASE OURS THEIRS [PATH]", { hint: usage });
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const [basePath, oursPath, theirsPath] = positionals.map((p) => abs(p)) as [string, string, string];
  const display = positionals[3] ?? positionals[1]!;
  const order = decryptionOrder(values);
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const result = await gitMerge({
    base: readInputFile(basePath),
    ours: readInputFile(oursPath),
    theirs: readInputFile(theirsPath),
    path: display,
    keyContext: await keyContextFor(values, io, warn),
    ...(order ? { decryptionOrder: order } : {}),
  });
  if (result.kind === "not-sops") {
    // Not encrypted on any side (e.g. before the file was first encrypted): git's own text merge.
    const r = spawnSync("git", ["merge-file", "-L", "ours", "-L", "base", "-L", "theirs", oursPath, basePath, theirsPath], { cwd: io.cwd, stdio: ["ignore", "ignore", "pipe"] });
    return r.status === 0 ? 0 : 1;
  }
  if (result.output !== undefined) writeFileAtomic(oursPath, result.output);
  for (const note of result.notes) io.writeStderr(`sobre: ${display}: ${note}\n`);
  if (result.conflicts.length === 0) return 0;
  io.writeStderr(
    [
      `sobre: ${display}: merge conflict in ${result.conflicts.length} value${result.conflicts.length === 1 ? "" : "s"} (the file keeps ours for them):`,
      ...result.conflicts.map((c) => `  ${c}`),
      `hint: see both sides with \`sobre git conflicts ${display}\`, fix with \`sobre edit ${display}\` (or \`sobre set\`), then \`git add ${display}\``,
      "",
    ].join("\n"),
  );
  return 1;
}
