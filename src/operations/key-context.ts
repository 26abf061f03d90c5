import { homedir } from "node:os";
import type { KeyContext } from "../keys/types.js";

export interface KeyContextOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  promptSecret?: (question: string) => Promise<string>;
  warn?: (message: string) => void;
  awsProfile?: string;
}

/** Build the context key clients read the outside world through (tests inject their own). */
export function createKeyContext(opts: KeyContextOptions = {}): KeyContext {
  const env = opts.env ?? process.env;
  return {
    env,
    cwd: opts.cwd ?? process.cwd(),
    home: env["HOME"] || homedir(),
    warn: opts.warn ?? (() => {}),
    cache: new Map(),
    ...(opts.promptSecret ? { promptSecret: opts.promptSecret } : {}),
    ...(opts.awsProfile ? { awsProfile: opts.awsProfile } : {}),
  };
}
