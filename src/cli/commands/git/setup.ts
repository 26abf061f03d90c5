import { gitSetup } from "../../../operations/git-setup.js";
import { loadRules } from "../../../git/rules.js";
import { parseArgs, type OptionSpec } from "../../args.js";
import type { CliIO } from "../../io.js";
import { UsageError } from "../../../errors.js";

export const options: readonly OptionSpec[] = [
  { name: "pattern", type: "strings", placeholder: "GLOB", description: ".gitattributes pattern of encrypted files, repeatable (default: from .sops.yaml path_regex)" },
  { name: "hook", type: "boolean", description: "install a pre-commit hook running `sobre check --staged`" },
  { name: "force", type: "boolean", description: "replace an existing pre-commit hook not written by sobre" },
  { name: "global", type: "boolean", description: "write the diff/merge drivers to your global git config" },
  { name: "command", type: "string", placeholder: "CMD", description: "how git should run sobre (default: sobre)" },
  { name: "config", type: "string", placeholder: "PATH", env: "SOPS_CONFIG", description: "path to .sops.yaml" },
];
export const usage = "sobre git setup [--pattern GLOB]… [--hook [--force]] [--global]";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 0) throw new UsageError("git setup takes no arguments", { hint: usage });
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const patterns = (values["pattern"] as string[] | undefined) ?? [];
  const rules = patterns.length > 0 ? undefined : await loadRules({ cwd: io.cwd, ...(values["config"] ? { explicit: String(values["config"]) } : {}), warn });
  const result = gitSetup({
    cwd: io.cwd,
    rules,
    patterns,
    command: (values["command"] as string | undefined) ?? "sobre",
    global: !!values["global"],
    hook: !!values["hook"],
    force: !!values["force"],
    env: io.env,
  });
  for (const line of result.changes) io.writeStderr(`sobre: ${line}\n`);
  if (result.changes.length === 0) io.writeStderr("sobre: git is already set up\n");
  return 0;
}
