import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { ConfigError, EXIT } from "../errors.js";
import type { ConfigSpec } from "./schema.js";

export const CONFIG_FILE_NAME = ".sops.yaml";
const ALTERNATE_NAME = ".sops.yml";
/** SOPS's search depth. */
const MAX_DEPTH = 100;

export interface LocatedConfig {
  /** Absolute path. */
  path: string;
  /** For messages: relative to the current directory when below it. */
  display: string;
}

export interface LocateResult {
  config?: LocatedConfig;
  /** SOPS's warning about an ignored `.sops.yml`. */
  warning?: string;
}

export interface LocateOptions {
  /** `--config` or `$SOPS_CONFIG`: must exist. */
  explicit?: string | undefined;
  cwd: string;
}

function displayOf(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * Find the config as SOPS does: `--config`/`SOPS_CONFIG` (missing → exit 61), else
 * `.sops.yaml` in the current directory or the nearest parent (not the file's directory).
 * `config` is undefined when none exists: the config is optional.
 */
export function locateConfig(opts: LocateOptions): LocateResult {
  if (opts.explicit) {
    const path = resolve(opts.cwd, opts.explicit);
    if (!existsSync(path) || statSync(path).isDirectory()) {
      throw new ConfigError(`${opts.explicit}: config file not found`, {
        exitCode: EXIT.ConfigFileNotFound,
        hint: "check --config / SOPS_CONFIG, or unset it to search for .sops.yaml upward from the current directory",
      });
    }
    return { config: { path, display: displayOf(path, opts.cwd) } };
  }
  let dir = resolve(opts.cwd);
  let alternate: string | undefined;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && !statSync(candidate).isDirectory()) {
      const config: LocatedConfig = { path: candidate, display: displayOf(candidate, opts.cwd) };
      if (!alternate) return { config };
      return { config, warning: `ignoring ${JSON.stringify(alternate)}: the config file must be called ${CONFIG_FILE_NAME}; using ${JSON.stringify(config.display)} instead` };
    }
    if (!alternate && existsSync(join(dir, ALTERNATE_NAME))) alternate = displayOf(join(dir, ALTERNATE_NAME), opts.cwd);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (alternate) return { warning: `ignoring ${JSON.stringify(alternate)}: the config file must be called ${CONFIG_FILE_NAME}` };
  return {};
}

/** Read, parse and validate a located config file. */
export async function loadConfigSpec(located: LocatedConfig): Promise<ConfigSpec> {
  let text: string;
  try {
    text = readFileSync(located.path, "utf8");
  } catch (err) {
    throw new ConfigError(`${located.display}: cannot read config file (${(err as NodeJS.ErrnoException).code ?? "error"})`, { hint: "check the file's permissions" });
  }
  // The parser and schema load only when a config is read: locating one (decrypt's
  // stores check) must stay cheap.
  const [{ parseConfigYaml }, { readConfigSpec }] = await Promise.all([import("./config-yaml.js"), import("./schema.js")]);
  const root = await parseConfigYaml(text, located.display);
  return readConfigSpec(root, located.path, located.display);
}
