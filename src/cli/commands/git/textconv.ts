import { TextconvCache } from "../../../git/textconv-cache.js";
import { defaultTextconvCacheDir, textconv } from "../../../operations/git-textconv.js";
import { UsageError } from "../../../errors.js";
import { parseArgs, type OptionSpec } from "../../args.js";
import { DECRYPT_OPTIONS } from "../../common-options.js";
import type { CliIO } from "../../io.js";
import { decryptionOrder, keyContextFor, readInput } from "../../resolve.js";
import { homedir } from "node:os";

export const options: readonly OptionSpec[] = [
  DECRYPT_OPTIONS[1]!,
  { name: "cache", type: "boolean", description: "use the encrypted textconv cache (default; --no-cache to bypass)" },
  { name: "clear-cache", type: "boolean", description: "delete the textconv cache and its key, then exit" },
];
export const usage = "sobre git textconv FILE";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  const cacheDir = defaultTextconvCacheDir(io.env, io.env["HOME"] || homedir());
  if (values["clear-cache"]) {
    TextconvCache.clear(cacheDir);
    io.writeStderr(`sobre: removed ${cacheDir}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("git textconv takes one FILE", { hint: usage });
  const input = await readInput(positionals[0], io);
  const order = decryptionOrder(values);
  const result = await textconv({
    input: input.bytes,
    path: input.name,
    keyContext: await keyContextFor(values, io, () => {}),
    ...(order ? { decryptionOrder: order } : {}),
    ...(values["cache"] !== false ? { cacheDir } : {}),
  });
  if (result.notice) io.writeStderr(`${result.notice}\n`);
  io.writeStdout(result.output);
  return 0;
}
