import { UsageError } from "../errors.js";
import { formatOptions } from "./args.js";
import { ALIASES, COMMANDS, type CommandModule } from "./commands.js";
import type { CliIO } from "./io.js";
import { reportError } from "./report-error.js";
import { VERSION } from "./version.js";

/** SOPS's pre-subcommand mode flags, mapped to commands (`sops -e file` etc.). */
const LEGACY_MODES: Record<string, string> = {
  "-e": "encrypt",
  "--encrypt": "encrypt",
  "-d": "decrypt",
  "--decrypt": "decrypt",
  "-r": "rotate",
  "--rotate": "rotate",
  "--set": "set",
  "--unset": "unset",
};

function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 4;
  const lines = names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n]!.summary}`);
  return [
    `sobre ${VERSION} — SOPS-compatible encryption of config values`,
    "",
    "usage: sobre COMMAND [options] [FILE]",
    "       sobre -e|-d|-r [options] FILE    (SOPS's legacy form)",
    "       sobre FILE                        (edit, like `sops FILE`)",
    "",
    "commands:",
    ...lines,
    "",
    "Run `sobre COMMAND --help` for a command's options.",
    "",
  ].join("\n");
}

function commandHelp(mod: CommandModule): string {
  return `usage: ${mod.usage}\n\n${mod.summary}\n\noptions:\n${formatOptions(mod.options)}\n`;
}

/** Pick the command: a subcommand name, a legacy mode flag, or a bare FILE (edit). */
function route(argv: readonly string[]): { name: string; rest: string[] } | undefined {
  const first = argv[0];
  if (first !== undefined && !first.startsWith("-")) {
    const name = ALIASES[first] ?? first;
    if (COMMANDS[name]) return { name, rest: argv.slice(1) };
  }
  const modeIndex = argv.findIndex((a) => a in LEGACY_MODES);
  if (modeIndex >= 0) {
    const name = LEGACY_MODES[argv[modeIndex]!]!;
    return { name, rest: [...argv.slice(0, modeIndex), ...argv.slice(modeIndex + 1)] };
  }
  if (argv.some((a) => !a.startsWith("-"))) return { name: "edit", rest: [...argv] };
  return undefined;
}

/** Run the CLI; returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      io.writeStdout(mainHelp());
      return argv.length === 0 ? 1 : 0;
    }
    if (argv[0] === "--version" || argv[0] === "-v" || argv[0] === "version") {
      io.writeStdout(`sobre ${VERSION} (SOPS 3.13 file format)\n`);
      return 0;
    }
    const routed = route(argv);
    if (!routed) throw new UsageError(`unknown command or option ${JSON.stringify(argv[0])}`, { hint: "run `sobre --help`" });
    const entry = COMMANDS[routed.name];
    if (!entry) throw new UsageError(`the ${routed.name} command is not available in this build`, { hint: "run `sobre --help` for the commands" });
    const mod = await entry.load();
    if (routed.rest.includes("--help") || routed.rest.includes("-h")) {
      io.writeStdout(commandHelp(mod));
      return 0;
    }
    return await mod.run(routed.rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}
