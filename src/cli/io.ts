/** The process's I/O, injected so commands run in-process in tests. */
export interface CliIO {
  readStdin(): Promise<Uint8Array>;
  writeStdout(data: Uint8Array | string): void;
  writeStderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    writeStdout: (data) => {
      process.stdout.write(data);
    },
    writeStderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
    // Getters: touching process.stdin/stderr constructs the stream (a tty or pipe handle,
    // several ms of start-up), which `--version` and a decrypt to stdout never need.
    get stdinIsTTY() {
      return !!process.stdin.isTTY;
    },
    get stderrIsTTY() {
      return !!process.stderr.isTTY;
    },
  };
}
