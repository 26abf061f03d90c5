import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { locateConfig } from "../config/find-config.js";
import { EXIT, ExitError } from "../errors.js";
import type { FormatName } from "../formats/types.js";
import type { OptionValues } from "./args.js";
import type { CliIO } from "./io.js";

/** A file named on the command line, for the commands that rewrite files in place. */
export interface Target {
  /** As the user wrote it, for messages. */
  name: string;
  /** Absolute. */
  path: string;
  exists: boolean;
}

/** Resolve FILE against the current directory; a missing FILE argument is SOPS's exit 100. */
export function resolveTarget(file: string | undefined, io: CliIO, usage: string): Target {
  if (file === undefined || file === "") throw new ExitError(EXIT.NoFileSpecified, "no file specified", { hint: usage });
  const path = isAbsolute(file) ? file : resolve(io.cwd, file);
  return { name: file, path, exists: existsSync(path) };
}

/** `sobre: warning: …` on stderr. */
export function warner(io: CliIO): (message: string) => void {
  return (m) => io.writeStderr(`sobre: warning: ${m}\n`);
}

/**
 * Output indentation: `--indent`, else `.sops.yaml`'s `stores.<format>.indent` (SOPS reads
 * the stores settings for every command that writes a file), else the format's default.
 */
export async function indentFor(values: OptionValues, io: CliIO, format: FormatName): Promise<number | undefined> {
  if (values["indent"] !== undefined) return values["indent"] as number;
  if (format !== "yaml" && format !== "json" && format !== "binary") return undefined;
  const { loadConfig, storesIndent } = await import("../config/creation-from-config.js");
  const spec = await loadConfig({ explicit: values["config"] as string | undefined, cwd: io.cwd, warn: warner(io) });
  return storesIndent(spec, format);
}

/**
 * Like {@link indentFor}, for hot read-only paths (decrypt): the config is parsed only
 * when it has a `stores:` section, so a plain decrypt never loads the YAML library.
 */
export async function indentForRead(values: OptionValues, io: CliIO, format: FormatName): Promise<number | undefined> {
  if (values["indent"] !== undefined) return values["indent"] as number;
  if (format !== "yaml" && format !== "json" && format !== "binary") return undefined;
  const found = locateConfig({ explicit: values["config"] as string | undefined, cwd: io.cwd });
  if (!found.config || !/^stores\s*:/m.test(readFileSync(found.config.path, "utf8"))) return undefined;
  return indentFor(values, io, format);
}
