import { writeSync } from "node:fs";

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

/**
 * `processIO()`, with stdout written by `fs.writeSync(1, …)` instead of `process.stdout`.
 * Creating the stdout stream loads and runs Node's whole streams stack: about 2 ms, a
 * tenth of the executable's start-up, for `--version` as for a decrypt. On Linux and
 * macOS, writes to files, pipes and terminals through process.stdout are synchronous
 * anyway, so the bytes and their order are the same. Anything unusual (a non-blocking
 * pipe answering EAGAIN, EPIPE, …) hands the unwritten rest, and every later write, to
 * `process.stdout`, so errors surface exactly as they would without this shortcut.
 */
export function directStdoutIO(fd = 1, io: CliIO = processIO()): CliIO {
  if (process.platform === "win32") return io;
  const streamWrite = io.writeStdout.bind(io);
  let direct = true;
  io.writeStdout = (data) => {
    if (!direct) return streamWrite(data);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      direct = false;
      // The reader went away: drop the rest quietly (see watchStdoutErrors).
      if ((err as NodeJS.ErrnoException).code === "EPIPE") stdoutClosed = true;
      streamWrite(bytes.subarray(done));
    }
  };
  return io;
}
