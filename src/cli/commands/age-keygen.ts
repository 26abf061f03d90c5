import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";
import { UsageError } from "../../errors.js";
import { writeFileAtomic } from "../../operations/file-io.js";
import { isAbsolute, resolve } from "node:path";
import { existsSync } from "node:fs";

export const options: readonly OptionSpec[] = [
  { name: "output", aliases: ["o"], type: "string", placeholder: "PATH", description: "write the identity to this file (created 0600; refuses to overwrite)" },
  { name: "pq", type: "boolean", description: "generate a post-quantum hybrid identity (age1pq1…)" },
];
export const usage = "sobre age-keygen [-o FILE] [--pq]";
export const summary = "generate a new age identity and print its recipient";

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 0) throw new UsageError("age-keygen takes no arguments", { hint: usage });
  const { generateIdentity } = await import("../../keys/age/keygen.js");
  const { identity, recipient } = await generateIdentity(values["pq"] ? { postQuantum: true } : {});
  const output = values["output"] as string | undefined;
  if (output) {
    const path = isAbsolute(output) ? output : resolve(io.cwd, output);
    if (existsSync(path)) throw new UsageError(`${output}: already exists`, { hint: "choose another path; sobre never overwrites an identity file" });
    writeFileAtomic(path, Buffer.from(identity), { mode: 0o600 });
    io.writeStderr(`Public key: ${recipient}\n`);
  } else {
    io.writeStdout(identity);
  }
  return 0;
}
