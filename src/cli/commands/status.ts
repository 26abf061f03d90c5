import { homedir } from "node:os";
import { UsageError } from "../../errors.js";
import { loadRules } from "../../git/rules.js";
import type { FileReport } from "../../operations/inspect-file.js";
import { status } from "../../operations/status.js";
import { parseArgs, type OptionSpec } from "../args.js";
import { DECRYPT_OPTIONS } from "../common-options.js";
import type { CliIO } from "../io.js";
import { decryptionOrder, keyContextFor } from "../resolve.js";

export const options: readonly OptionSpec[] = [
  { name: "json", type: "boolean", description: "print a JSON report" },
  { name: "verify", type: "boolean", description: "decrypt to check each MAC when a key is available (default; --no-verify skips it)" },
  { name: "config", type: "string", placeholder: "PATH", env: "SOPS_CONFIG", description: "path to .sops.yaml" },
  DECRYPT_OPTIONS[1]!,
];
export const usage = "sobre status [--json] [--no-verify] [PATH]";
export const summary = "report every file the creation rules cover: encrypted?, recipients vs rule, MAC, last modified";

/** Progress only for humans watching a long scan. */
const PROGRESS_MIN_FILES = 200;

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 1) throw new UsageError("status takes at most one PATH", { hint: usage });
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const rules = await loadRules({ cwd: io.cwd, ...(values["config"] ? { explicit: String(values["config"]) } : {}), warn });
  const order = decryptionOrder(values);
  let progressShown = false;
  const result = await status({
    target: positionals[0] ?? ".",
    cwd: io.cwd,
    rules,
    verifyMac: values["verify"] !== false,
    keyContext: await keyContextFor(values, io, () => {}),
    ...(order ? { decryptionOrder: order } : {}),
    ...(io.stderrIsTTY
      ? {
          onProgress: (done: number, total: number) => {
            if (total < PROGRESS_MIN_FILES || (done % 50 !== 0 && done !== total)) return;
            progressShown = true;
            io.writeStderr(`\rsobre: scanned ${done}/${total} files`);
          },
        }
      : {}),
  });
  if (progressShown) io.writeStderr("\r\x1b[K");
  if (values["json"]) {
    io.writeStdout(JSON.stringify(result, null, 2) + "\n");
  } else {
    io.writeStdout(render(result.files, result.config, io.env["HOME"] || homedir()));
  }
  return result.drift ? 1 : 0;
}

function render(files: readonly FileReport[], config: string | undefined, _home: string): string {
  const lines: string[] = [config ? `rules: ${config}` : "rules: none (no .sops.yaml found; showing encrypted files only)"];
  if (files.length === 0) lines.push("no covered or encrypted files found");
  for (const f of files) {
    const mark = f.problems.length > 0 ? "DRIFT" : "ok   ";
    const facts = [
      f.encrypted ? (f.format ?? "encrypted") : "PLAINTEXT",
      f.rule ? `rule #${f.rule.index + 1}` : "no rule",
      f.recipients ? (f.recipients.missing.length + f.recipients.extra.length === 0 ? "recipients ok" : "recipients differ") : undefined,
      f.encrypted ? `MAC ${f.mac}` : undefined,
      f.lastModified ? `modified ${f.lastModified}` : undefined,
    ].filter(Boolean);
    lines.push(`${mark} ${f.path}  (${facts.join(", ")})`);
    for (const p of f.problems) lines.push(`        ${p}`);
  }
  const drift = files.filter((f) => f.problems.length > 0).length;
  lines.push(drift > 0 ? `${drift} of ${files.length} files drifted; fix plaintext with \`sobre encrypt -i FILE\`, recipients with \`sobre updatekeys FILE\`` : `${files.length} files in order`);
  return lines.join("\n") + "\n";
}
