import { UsageError } from "../../errors.js";
import type { KeyProbe } from "../../operations/keys-check.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { keyContextFor, readInput, resolveFormats } from "../resolve.js";

export const options: readonly OptionSpec[] = [
  { name: "rule", type: "string", placeholder: "PATH", description: "check the recipients of the .sops.yaml creation rule that matches PATH" },
  { name: "config", type: "string", env: "SOPS_CONFIG", placeholder: "PATH", description: "path to .sops.yaml" },
  { name: "input-type", type: "string", placeholder: "TYPE", description: "format of FILE (default: by extension)" },
  { name: "json", type: "boolean", description: "print the results as JSON" },
  { name: "aws-profile", type: "string", placeholder: "NAME", description: "AWS profile for KMS keys" },
];
export const usage = "sobre keys check [FILE | --rule PATH] [--json]";
export const summary = "test every recipient of a file or creation rule: can it encrypt and decrypt now, how fast, and why not";

function table(probes: readonly KeyProbe[]): string {
  // Keys are shown whole: the part a cut would drop (an age recipient's checksum, an Azure
  // key version, a KMS key id) is what tells two keys apart and matches .sops.yaml.
  const rows = probes.map((p) => [`${p.group}`, p.type, p.key, p.wrap, p.unwrap, `${p.ms} ms`, p.reason ? `${p.reason}${p.hint ? ` (hint: ${p.hint})` : ""}` : ""]);
  const head = ["group", "type", "key", "encrypt", "decrypt", "time", "reason"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "check") throw new UsageError(`unknown keys subcommand ${JSON.stringify(sub ?? "")}`, { hint: usage });
  const { values, positionals } = parseArgs(rest, options, { env: io.env });
  const warn = (m: string): void => io.writeStderr(`sobre: warning: ${m}\n`);
  const ctx = await keyContextFor(values, io, warn);
  const checks = await import("../../operations/keys-check.js");
  let probes: KeyProbe[];
  let notOpenable: string | undefined;
  if (values["rule"]) {
    if (positionals.length > 0) throw new UsageError("give either FILE or --rule PATH", { hint: usage });
    const { loadConfig, requireCreationRule, keysOfRule } = await import("../../config/creation-from-config.js");
    const spec = await loadConfig({ explicit: values["config"] as string | undefined, cwd: io.cwd, warn });
    if (!spec) throw new UsageError("no .sops.yaml found", { hint: "run in a directory with .sops.yaml or pass --config", exitCode: 61 });
    const rule = requireCreationRule(spec, String(values["rule"]), io.cwd);
    probes = await checks.checkRuleKeys(keysOfRule(spec, rule, warn), ctx);
  } else {
    if (positionals.length !== 1) throw new UsageError("keys check needs one FILE or --rule PATH", { hint: usage });
    const input = await readInput(positionals[0], io);
    const formats = resolveFormats(values, positionals[0]);
    const result = await checks.checkFileKeys(input.bytes, input.name, formats.input, ctx);
    probes = result.probes;
    // With key groups, one key that opens is not enough: the file needs `groupsNeeded`
    // groups (Shamir threshold), exactly as decrypt will.
    const opened = checks.groupsOpened(probes);
    if (opened < result.groupsNeeded) {
      notOpenable =
        result.groupsNeeded > 1
          ? `${input.name}: only ${opened} of the ${result.groupsNeeded} key groups needed can be opened here`
          : `${input.name}: no key here can open this file`;
    }
  }
  io.writeStdout(values["json"] ? JSON.stringify(probes, null, 2) + "\n" : table(probes));
  if (notOpenable) io.writeStderr(`sobre: ${notOpenable}\n`);
  const healthy = probes.every((p) => p.wrap !== "fail" && p.unwrap !== "fail");
  return healthy && !notOpenable ? 0 : 1;
}
