import { EXIT, FormatError, KeyAccessError, SobreError } from "../errors.js";
import type { CliIO } from "./io.js";

/**
 * Print an error as `sobre: <message>` plus its causes and a `hint:` line, and return
 * the exit code. Unknown errors print no message text (it could contain plaintext from
 * a parser) unless SOBRE_DEBUG is set.
 */
export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof SobreError) {
    const lines = [`sobre: ${err.message}`];
    if (err instanceof KeyAccessError) {
      for (const f of err.failures) lines.push(`  - ${f.type} ${f.key}: ${f.reason}`);
    }
    const hint = err.hint ?? (err instanceof FormatError ? "fix the file at the position shown, or pass --input-type if its extension does not match its format" : undefined);
    if (hint) lines.push(`hint: ${hint}`);
    io.writeStderr(lines.join("\n") + "\n");
    return err.exitCode;
  }
  const debug = !!io.env["SOBRE_DEBUG"];
  const name = err instanceof Error ? err.name : typeof err;
  const detail = debug && err instanceof Error ? `\n${err.stack ?? err.message}` : "";
  io.writeStderr(
    `sobre: internal error (${name})${detail}\nhint: re-run with SOBRE_DEBUG=1 for details and report it at https://github.com/sobre-cli/sobre/issues (check the output for secrets first)\n`,
  );
  return EXIT.ErrorGeneric;
}
