// Markdown rendering of benchmark results, with the machine they ran on.
import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, totalmem, type } from "node:os";

function versionOf(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
  } catch {
    return undefined;
  }
}

/** Facts about this machine and the tools compared. */
export function machineInfo({ sops, binary }) {
  const cpu = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    os: `${type()} ${release()}`,
    cpu: `${cpu.length} × ${cpu[0]?.model ?? "unknown"}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: loadavg().map((l) => l.toFixed(2)).join(" "),
    node: process.version,
    sops: sops ? (versionOf(sops, ["--disable-version-check", "--version"]) ?? "unknown") : "not found",
    binary: binary ? (versionOf(binary, ["--version"]) ?? "unknown") : "not built",
  };
}

const ms = (v) => (v === undefined ? "—" : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const mb = (kb) => (kb === undefined ? "—" : `${(kb / 1024).toFixed(0)} MB`);
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? "—" : `${(a / b).toFixed(2)}`);

function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/**
 * Render everything as markdown. `cases`: [{format, values, op, sobre, sops?}] where each
 * measurement is {wallMs, cpuMs, rssKb}; `startup`: [{label, m, vs?: {label, m}}].
 */
export function renderMarkdown({ info, cases, startup, notes }) {
  const out = [
    "# sobre benchmark",
    "",
    `- date: ${info.date}`,
    `- machine: ${info.cpu}, ${info.memory} RAM, ${info.os}, load average at start ${info.load}`,
    `- node: ${info.node}; sops: ${info.sops}; single binary: ${info.binary}`,
    "- age recipient: fixtures/keys/age-test-key.txt (TEST-ONLY key); wall and CPU (user+sys) are medians over the runs (column `runs`: sobre/sops), RSS the maximum",
    "- **sops÷sobre** = how many times faster sobre is (wall time; CPU: user+sys, which also counts sobre's worker thread); **RSS sobre/sops** < 1 means sobre used less memory",
    "",
    "## Large files",
    "",
    table(
      ["format", "values", "op", "sobre wall", "sobre CPU", "sobre RSS", "sops wall", "sops CPU", "sops RSS", "sops÷sobre", "CPU sops÷sobre", "RSS sobre/sops", "runs"],
      cases.map((c) => [
        c.format,
        c.values.toLocaleString("en-US"),
        c.op,
        ms(c.sobre.wallMs),
        ms(c.sobre.cpuMs),
        mb(c.sobre.rssKb),
        ms(c.sops?.wallMs),
        ms(c.sops?.cpuMs),
        mb(c.sops?.rssKb),
        c.sops ? `${ratio(c.sops.wallMs, c.sobre.wallMs)}×` : "—",
        c.sops ? `${ratio(c.sops.cpuMs, c.sobre.cpuMs)}×` : "—",
        ratio(c.sobre.rssKb, c.sops?.rssKb),
        `${c.sobre.runs}/${c.sops?.runs ?? "—"}`,
      ]),
    ),
    "",
    "## Startup",
    "",
    table(
      ["command", "wall", "CPU", "RSS", "compared with", "its wall", "ratio"],
      startup.map((s) => [s.label, ms(s.m.wallMs), ms(s.m.cpuMs), mb(s.m.rssKb), s.vs?.label ?? "", ms(s.vs?.m.wallMs), s.vs ? `${ratio(s.m.wallMs, s.vs.m.wallMs)}` : ""]),
    ),
  ];
  if (notes.length > 0) out.push("", "## Notes", "", ...notes.map((n) => `- ${n}`));
  return `${out.join("\n")}\n`;
}
