import { join } from "node:path";
import { SobreError } from "../errors.js";
import { detectFormat } from "../git/sniff.js";
import { TextconvCache } from "../git/textconv-cache.js";
import type { KeyContext } from "../keys/types.js";
import { decrypt } from "./decrypt.js";

export interface TextconvOptions {
  input: Uint8Array;
  /** The path git passed (a temp file named `XXXXXX_<name>` or the worktree file). */
  path: string;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
  /** Cache directory; undefined disables the cache. */
  cacheDir?: string;
}

export interface TextconvResult {
  output: Uint8Array;
  /** One line for stderr when the file could not be decrypted (the ciphertext is printed instead). */
  notice?: string;
  cached: boolean;
}

/** `$XDG_CACHE_HOME/sobre/textconv` (default `~/.cache/sobre/textconv`). */
export function defaultTextconvCacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return join(env["XDG_CACHE_HOME"] || join(home, ".cache"), "sobre", "textconv");
}

/**
 * What `git diff` shows for an encrypted blob: the decrypted file in its own format. A
 * blob without SOPS metadata (plaintext in an old commit) passes through unchanged; a
 * blob we cannot decrypt (no key, MAC mismatch) is shown encrypted, with a notice, so
 * `git diff` never breaks.
 */
export async function textconv(opts: TextconvOptions): Promise<TextconvResult> {
  const format = detectFormat(opts.input, opts.path);
  if (format === undefined) return { output: opts.input, cached: false };
  const cache = opts.cacheDir !== undefined ? TextconvCache.open(opts.cacheDir) : undefined;
  const name = TextconvCache.nameFor(opts.input);
  const hit = cache?.get(name, format);
  if (hit) return { output: hit, cached: true };
  try {
    const output = await decrypt({
      input: opts.input,
      file: opts.path,
      inputFormat: format,
      outputFormat: format,
      keyContext: opts.keyContext,
      ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    });
    cache?.put(name, format, output);
    return { output, cached: false };
  } catch (err) {
    const why = err instanceof SobreError ? err.message.replace(/^.*?: /, "") : "unexpected error";
    return { output: opts.input, notice: `sobre: showing ${opts.path} encrypted: ${why}`, cached: false };
  }
}
