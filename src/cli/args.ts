import { UsageError } from "../errors.js";

/** Declarative option spec; every command lists its options so `--help` is generated. */
export interface OptionSpec {
  name: string;
  aliases?: readonly string[];
  type: "boolean" | "string" | "strings" | "number";
  description: string;
  /** Environment variable used when the flag is absent (SOPS semantics). */
  env?: string;
  /** Shown in help. */
  placeholder?: string;
  hidden?: boolean;
}

export type OptionValues = Record<string, string | string[] | boolean | number | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

export interface ParseSettings {
  /** Stop reading flags once this many positionals were seen (exec-env FILE COMMAND). */
  maxPositionals?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Parse argv: `--name value`, `--name=value`, `-a value`, `--flag`, `--flag=false`,
 * `--no-flag`, repeated `strings` options, `--` ends options.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], settings: ParseSettings = {}): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    for (const a of spec.aliases ?? []) byName.set(a, spec);
  }
  const values: OptionValues = {};
  const positionals: string[] = [];
  let i = 0;
  const max = settings.maxPositionals ?? Infinity;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (positionals.length >= max) {
      positionals.push(...argv.slice(i));
      break;
    }
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      i++;
      continue;
    }
    const eq = arg.indexOf("=");
    const rawName = arg.replace(/^--?/, "").slice(0, eq > 0 ? eq - (arg.startsWith("--") ? 2 : 1) : undefined);
    let spec = byName.get(rawName);
    let negated = false;
    if (!spec && rawName.startsWith("no-")) {
      spec = byName.get(rawName.slice(3));
      negated = spec?.type === "boolean";
      if (!negated) spec = undefined;
    }
    if (!spec) throw new UsageError(`unknown option ${arg.split("=")[0]}`, { hint: "see --help for the options of this command" });
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (spec.type === "boolean") {
      values[spec.name] = negated ? false : inline === undefined ? true : !["false", "0", "no"].includes(inline.toLowerCase());
      i++;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new UsageError(`option --${spec.name} needs a value`, { hint: `--${spec.name} ${spec.placeholder ?? "VALUE"}` });
      i += 2;
    } else i++;
    if (spec.type === "strings") values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), value];
    else if (spec.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`option --${spec.name} needs a number, got ${JSON.stringify(value)}`);
      values[spec.name] = n;
    } else values[spec.name] = value;
  }
  const env = settings.env ?? {};
  for (const spec of specs) {
    if (values[spec.name] !== undefined || !spec.env) continue;
    const fromEnv = env[spec.env];
    if (fromEnv === undefined || fromEnv === "") continue;
    if (spec.type === "boolean") values[spec.name] = ["1", "true", "yes"].includes(fromEnv.toLowerCase());
    else if (spec.type === "strings") values[spec.name] = [fromEnv];
    else if (spec.type === "number") values[spec.name] = Number(fromEnv);
    else values[spec.name] = fromEnv;
  }
  return { values, positionals };
}

/** Render the options table for `--help`. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = specs
    .filter((s) => !s.hidden)
    .map((s) => {
      const names = [...(s.aliases ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`)), `--${s.name}`].join(", ");
      const arg = s.type === "boolean" ? "" : ` ${s.placeholder ?? "VALUE"}`;
      const env = s.env ? ` [$${s.env}]` : "";
      return [`  ${names}${arg}`, `${s.description}${env}`] as const;
    });
  const width = Math.min(40, Math.max(...rows.map((r) => r[0].length), 0) + 2);
  return rows.map(([l, r]) => (l.length >= width ? `${l}\n${" ".repeat(width)}${r}` : l.padEnd(width) + r)).join("\n");
}
