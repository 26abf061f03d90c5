/**
 * Entry of the single executable's core bundle (scripts/sea/bundle.mjs). It exports, and
 * runs nothing: scripts/sea/loader.cjs calls `run(argv, seaIO())` as src/cli/main.ts does,
 * and the build-time trainer calls `run` with an in-memory IO.
 */
import { writeSync } from "node:fs";
import { processIO, stdoutGone, type CliIO } from "./io.js";

export { run } from "./run.js";

/**
 * `processIO()`, with stdout written by `fs.writeSync(1, …)` instead of `process.stdout`.
 * Creating the stdout stream loads and runs Node's whole streams stack: about 2 ms, a
 * tenth of the executable's start-up, for `--version` as for a decrypt. On Linux and
 * macOS, writes to files, pipes and terminals through process.stdout are synchronous
 * anyway, so the bytes and their order are the same. Anything unusual (a non-blocking
 * pipe answering EAGAIN, EPIPE, …) hands the unwritten rest, and every later write, to
 * `process.stdout`, so errors surface exactly as they would without this shortcut.
 */
export function seaIO(fd = 1, io: CliIO = processIO()): CliIO {
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
      // The reader went away: drop the rest quietly (see processIO).
      if ((err as NodeJS.ErrnoException).code === "EPIPE") stdoutGone();
      streamWrite(bytes.subarray(done));
    }
  };
  return io;
}
