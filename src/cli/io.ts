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

let stdoutClosed = false;
let watching = false;

/**
 * A reader that goes away (`sobre decrypt big.yaml | head -1`) is not an error worth a
 * stack trace: further output is dropped quietly, as a Go program dies of SIGPIPE.
 * Any other stdout failure gets one line and exit status 1.
 */
function watchStdoutErrors(): void {
  if (watching) return;
  watching = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (err.code === "EPIPE") return;
    process.stderr.write(`sobre: cannot write to standard output (${err.code ?? err.message})\n`);
    process.exitCode = 1;
  });
}

/** Mark stdout as gone after a direct write failed with EPIPE (see seaIO). */
export function stdoutGone(): void {
  stdoutClosed = true;
}

export function processIO(): CliIO {
  return {
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    writeStdout: (data) => {
      if (stdoutClosed) return;
      watchStdoutErrors();
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
