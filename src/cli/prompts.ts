import type { CliIO } from "./io.js";

/**
 * Questions to the user. On a terminal they use @inquirer/prompts (loaded only when a
 * question is actually asked) and draw on stderr, so stdout stays clean for data. When
 * stdin is not a terminal, answers are read line by line from stdin (`yes | sobre …`),
 * which is also how tests answer them.
 */

const pendingLines = new WeakMap<CliIO, Promise<string[]>>();

/** Next line of piped stdin, or undefined at its end. */
async function nextLine(io: CliIO): Promise<string | undefined> {
  let lines = pendingLines.get(io);
  if (!lines) {
    lines = io.readStdin().then((bytes) => Buffer.from(bytes).toString("utf8").split(/\r?\n/));
    pendingLines.set(io, lines);
  }
  const list = await lines;
  const line = list.shift();
  return line === undefined || (line === "" && list.length === 0) ? undefined : line;
}

/** A yes/no question. Without a terminal: `y`/`yes` on stdin means yes; anything else, no. */
export async function confirm(io: CliIO, message: string, defaultValue = false): Promise<boolean> {
  if (io.stdinIsTTY) {
    const { confirm: ask } = await import("@inquirer/prompts");
    return ask({ message, default: defaultValue }, { output: process.stderr });
  }
  io.writeStderr(`${message} (y/n): `);
  const line = await nextLine(io);
  io.writeStderr("\n");
  if (line === undefined) return defaultValue;
  return /^\s*y(es)?\s*$/i.test(line);
}

/** A free-text question with a default. */
export async function ask(io: CliIO, message: string, defaultValue: string): Promise<string> {
  if (io.stdinIsTTY) {
    const { input } = await import("@inquirer/prompts");
    return input({ message, default: defaultValue }, { output: process.stderr });
  }
  io.writeStderr(`${message} [${defaultValue}]: `);
  const line = await nextLine(io);
  io.writeStderr("\n");
  return line === undefined || line.trim() === "" ? defaultValue : line.trim();
}

/** "Press Enter to …": true when the user pressed Enter; false without a terminal. */
export async function waitForEnter(io: CliIO, message: string): Promise<boolean> {
  if (!io.stdinIsTTY) return false;
  io.writeStderr(`${message}\n`);
  const { createInterface } = await import("node:readline");
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  // A signal must also release stdin, or the process could not exit afterwards.
  let onSignal: (() => void) | undefined;
  try {
    return await new Promise<boolean>((resolve) => {
      onSignal = () => resolve(false);
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      rl.once("line", () => resolve(true));
      rl.once("close", () => resolve(false));
    });
  } finally {
    if (onSignal) {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    rl.close();
  }
}
