import { dirname } from "node:path";
import type { MasterKey } from "../keys/types.js";

/**
 * The one seam between the git/status/check commands and `src/config`: which creation
 * rule covers a path and whom it encrypts for. Everything here delegates to
 * `src/config/creation-from-config.ts` (`loadConfig`, `findCreationRule`, `keysOfRule`,
 * `pathForMatching`), loaded lazily.
 */
export interface CoveringRule {
  /** 0-based index in `creation_rules`. */
  index: number;
  line: number;
  /** The rule's `path_regex`; undefined for a catch-all rule. */
  pathRegex: string | undefined;
  groups: MasterKey[][];
}

export interface RuleSet {
  /** The config file as shown to the user. */
  display: string;
  /** Absolute directory of the config file (where `.gitattributes` patterns are rooted). */
  dir: string;
  /** `path_regex` of every rule, in order (undefined: catch-all). */
  pathRegexes: (string | undefined)[];
  /** Does any rule match every path? */
  hasCatchAll: boolean;
  /** The first rule matching `absPath`, as `sobre encrypt` would pick it. */
  ruleFor(absPath: string): CoveringRule | undefined;
  /** The path `path_regex` sees for `absPath` (relative to the config's directory). */
  matchPath(absPath: string): string;
}

export interface LoadRulesOptions {
  cwd: string;
  /** `--config` / `$SOPS_CONFIG`. */
  explicit?: string;
  warn: (message: string) => void;
}

/** Load the creation rules; undefined when there is no `.sops.yaml` (or no creation_rules). */
export async function loadRules(opts: LoadRulesOptions): Promise<RuleSet | undefined> {
  const config = await import("../config/creation-from-config.js");
  const spec = await config.loadConfig({ explicit: opts.explicit, cwd: opts.cwd, warn: opts.warn });
  if (!spec || !spec.creationRules) return undefined;
  const rules = spec.creationRules;
  const keysCache = new Map<number, MasterKey[][]>();
  return {
    display: spec.display,
    dir: dirname(spec.path),
    pathRegexes: rules.map((r) => r.pathRegex?.source),
    hasCatchAll: rules.some((r) => !r.pathRegex),
    matchPath: (absPath) => config.pathForMatching(spec, absPath, opts.cwd),
    ruleFor: (absPath) => {
      const rule = config.findCreationRule(spec, absPath, opts.cwd);
      if (!rule) return undefined;
      let groups = keysCache.get(rule.index);
      if (!groups) {
        groups = config.keysOfRule(spec, rule, opts.warn);
        keysCache.set(rule.index, groups);
      }
      return { index: rule.index, line: rule.line, pathRegex: rule.pathRegex?.source, groups };
    },
  };
}
