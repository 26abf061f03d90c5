import { UsageError } from "../../errors.js";
import type { OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";

/** `sobre git SUBCOMMAND`: each subcommand is its own lazily loaded module. */
const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: readonly string[], io: CliIO): Promise<number>; usage: string; options: readonly OptionSpec[] }> }> = {
  setup: { summary: "write .gitattributes, the diff/merge drivers and (--hook) a pre-commit hook", load: () => import("./git/setup.js") },
  textconv: { summary: "print a file decrypted, for git diff/log -p (diff.sobre.textconv)", load: () => import("./git/textconv.js") },
  merge: { summary: "three-way merge of SOPS files value by value (merge.sobre.driver)", load: () => import("./git/merge.js") },
  conflicts: { summary: "show base/ours/theirs of the values a merge left conflicted", load: () => import("./git/conflicts.js") },
};

export const options: readonly OptionSpec[] = [];
export const usage = `sobre git SUBCOMMAND [options]\n\nsubcommands:\n${Object.entries(SUBCOMMANDS)
  .map(([n, s]) => `  ${n.padEnd(11)}${s.summary}`)
  .join("\n")}`;
export const summary = "git integration: decrypted diffs, SOPS-aware merges, pre-commit guard";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    throw new UsageError(name === undefined ? "missing git subcommand" : `unknown git subcommand ${JSON.stringify(name)}`, { hint: `one of: ${Object.keys(SUBCOMMANDS).join(", ")}` });
  }
  const mod = await sub.load();
  return mod.run(rest, io);
}
