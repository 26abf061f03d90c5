import { UsageError } from "../../../errors.js";
import { git, repoRoot } from "../../../git/git-cli.js";
import { gitConflicts } from "../../../operations/git-conflicts.js";
import { parseArgs, type OptionSpec } from "../../args.js";
import { DECRYPT_OPTIONS } from "../../common-options.js";
import type { CliIO } from "../../io.js";
import { decryptionOrder, keyContextFor } from "../../resolve.js";
import { relative, resolve } from "node:path";

export const options: readonly OptionSpec[] = [DECRYPT_OPTIONS[1]!, { name: "json", type: "boolean", description: "print JSON" }];
export const usage = "sobre git conflicts PATH";

/** Show base/ours/theirs of each conflicting value of a path git marked conflicted. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length !== 1) throw new UsageError("git conflicts takes one PATH", { hint: usage });
  const root = repoRoot(io.cwd, io.env);
  const rel = relative(root, resolve(io.cwd, positionals[0]!));
  const stage = (n: number): Buffer => {
    const r = git(["cat-file", "blob", `:${n}:${rel}`], root, io.env);
    return r.status === 0 ? r.stdout : Buffer.alloc(0);
  };
  const ours = stage(2);
  const theirs = stage(3);
  if (ours.length === 0 || theirs.length === 0) {
    throw new UsageError(`${positionals[0]}: not in a conflicted merge state`, { hint: "run this after `git merge` reported a conflict in the file" });
  }
  const order = decryptionOrder(values);
  const views = await gitConflicts({
    base: stage(1),
    ours,
    theirs,
    path: positionals[0]!,
    keyContext: await keyContextFor(values, io, (m) => io.writeStderr(`sobre: warning: ${m}\n`)),
    ...(order ? { decryptionOrder: order } : {}),
  });
  if (values["json"]) {
    io.writeStdout(JSON.stringify(views, null, 2) + "\n");
    return 0;
  }
  const show = (v: string | undefined): string => (v === undefined ? "(absent)" : v.includes("\n") ? `\n${v.replace(/^/gm, "      ")}` : v);
  for (const v of views) io.writeStdout(`${v.path}\n  base:   ${show(v.base)}\n  ours:   ${show(v.ours)}\n  theirs: ${show(v.theirs)}\n`);
  if (views.length === 0) io.writeStderr("sobre: no value conflicts (the conflict may be in the keys or the document structure)\n");
  return 0;
}
