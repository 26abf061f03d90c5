import { UsageError } from "../../errors.js";
import { createKeyContext } from "../../operations/key-context.js";
import { parseArgs, type OptionSpec } from "../args.js";
import type { CliIO } from "../io.js";

export const options: readonly OptionSpec[] = [
  { name: "network", aliases: ["net"], type: "string", placeholder: "NET", description: "network to listen on: tcp or unix (default tcp)" },
  { name: "address", aliases: ["addr"], type: "string", placeholder: "ADDR", description: "address to listen on, e.g. 127.0.0.1:5000 or /tmp/sops.sock (default 127.0.0.1:5000)" },
  { name: "prompt", type: "boolean", description: "ask on the terminal before answering each request" },
  { name: "verbose", type: "boolean", description: "accepted for SOPS compatibility (requests are always logged)" },
];
export const usage = "sobre keyservice [--network tcp|unix] [--address ADDR] [--prompt]";
export const summary = "serve SOPS's key service protocol (gRPC) with this machine's keys";

/** Ask y/n on the terminal; anything but y/yes is a refusal. */
async function terminalApprover(): Promise<{ ask: (question: string) => Promise<boolean>; close: () => void }> {
  const { createInterface } = await import("node:readline/promises");
  // The one place this command reads the terminal directly: CliIO has no line reader,
  // and approvals must be answered while the server keeps running.
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const ask = async (question: string): Promise<boolean> => {
    for (;;) {
      const answer = (await rl.question(question)).trim().toLowerCase();
      if (["y", "yes"].includes(answer)) return true;
      if (["n", "no"].includes(answer)) return false;
    }
  };
  return { ask, close: () => rl.close() };
}

/** Resolves with the signal name on the first SIGINT/SIGTERM; the handlers go away after. */
function nextStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const stop = (sig: string): void => {
      for (const s of signals) process.off(s, stop);
      resolve(sig);
    };
    for (const s of signals) process.on(s, stop);
  });
}

/**
 * Serve until `stop` settles (tests pass their own promise; the CLI waits for a signal).
 * Exported so the server can run in-process.
 */
export async function serve(argv: readonly string[], io: CliIO, stop: Promise<string>): Promise<number> {
  const { values, positionals } = parseArgs(argv, options, { env: io.env });
  if (positionals.length > 0) throw new UsageError("keyservice takes no FILE", { hint: usage });
  const [{ listenEndpoint }, { serveKeyService }, { describeKey }] = await Promise.all([
    import("../../keyservice/address.js"),
    import("../../keyservice/server.js"),
    import("../../keyservice/wire.js"),
  ]);
  const endpoint = listenEndpoint(String(values["network"] ?? "tcp"), String(values["address"] ?? "127.0.0.1:5000"), io.cwd);
  const log = (line: string): void => io.writeStderr(`sobre keyservice: ${line}\n`);
  const terminal = values["prompt"] ? await terminalApprover() : undefined;
  const keyContext = createKeyContext({ env: io.env, cwd: io.cwd, warn: (m) => log(`warning: ${m}`) });
  let running;
  try {
    running = await serveKeyService({
      endpoint,
      keyContext,
      log,
      ...(terminal ? { approve: (kind, key) => terminal.ask(`\nreceived ${kind} request using ${describeKey(key)}; respond to request? (y/n): `) } : {}),
    });
  } catch (err) {
    terminal?.close();
    throw new UsageError(`could not listen on ${endpoint.display}: ${(err as Error).message.split("\n")[0]}`, {
      hint: endpoint.network === "unix" ? "remove a stale socket file or choose another --address" : "choose a free port with --address HOST:PORT",
    });
  }
  log(`listening on ${running.endpoint.display}`);
  const signal = await stop;
  log(`caught ${signal}: shutting down`);
  await running.close();
  terminal?.close();
  return 0;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  return serve(argv, io, nextStopSignal());
}
