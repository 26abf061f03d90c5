import { loadRules } from "../../git/rules.js";
import { check } from "../../operations/check.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { keyContextFor } from "../resolve.js";

export const options: readonly OptionSpec[] = [
  { name: "staged", type: "boolean", description: "check what `git commit` would record (the index), for a pre-commit hook" },
  { name: "config", type: "string", placeholder: "PATH", env: "SOPS_CONFIG", description: "path to .sops.yaml" },
  { name: "quiet", aliases: ["q"], type: "boolean", description: "print nothing when everything is in order" },
];
export const usage = "sobre check [--staged] [PATH…]";
export const summary = "fail if a file a creation rule covers is plaintext or has other recipients than the rule";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const rules = await loadRules({ cwd: io.cwd, ...(values["config"] ? { explicit: String(values["config"]) } : {}), warn });
  if (!rules) {
    if (!values["quiet"]) io.writeStderr("sobre: check: no .sops.yaml creation rules, nothing to check\n");
    return 0;
  }
  const result = await check({ cwd: io.cwd, rules, staged: !!values["staged"], paths: positionals, keyContext: await keyContextFor(values, io, warn), env: io.env });
  if (result.failures.length === 0) {
    if (!values["quiet"]) io.writeStderr(`sobre: check: ${result.checked} covered file${result.checked === 1 ? "" : "s"} in order\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const f of result.failures) {
    for (const p of f.problems) lines.push(`sobre: ${f.path}: ${p}`);
    if (!f.encrypted) lines.push(`hint: encrypt it with \`sobre encrypt -i ${f.path}\`${values["staged"] ? ` and \`git add ${f.path}\`` : ""}`);
    else if (f.recipients && f.recipients.missing.length + f.recipients.extra.length > 0) lines.push(`hint: re-key it with \`sobre updatekeys ${f.path}\``);
  }
  if (values["staged"]) lines.push("sobre: commit refused (bypass once with `git commit --no-verify` if you are sure)");
  io.writeStderr(lines.join("\n") + "\n");
  return 1;
}
