import type { CliIO } from "./io.js";

/**
 * A one-line progress indicator on stderr for long runs (large files). It is silent
 * unless stderr is a terminal, and stays silent for runs shorter than `delayMs`, so
 * ordinary commands, pipes, CI logs and tests never see it. Writes are synchronous
 * on a TTY, so it also updates from inside synchronous loops.
 */
export interface Progress {
  /** Report a phase ("encrypting"), optionally with `done` of `total` items. */
  update(phase: string, done?: number, total?: number): void;
  /** Erase the line (call before printing anything else, and at the end). */
  end(): void;
}

export interface ProgressOptions {
  /** Show nothing before this much time has passed since creation. Default 400 ms. */
  delayMs?: number;
  /** Minimum time between two redraws. Default 100 ms. */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const SILENT: Progress = { update() {}, end() {} };

/** A progress line for `io`, or a no-op when stderr is not a TTY or SOBRE_NO_PROGRESS is set. */
export function createProgress(io: CliIO, opts: ProgressOptions = {}): Progress {
  if (!io.stderrIsTTY || io.env["SOBRE_NO_PROGRESS"] || io.env["CI"]) return SILENT;
  const now = opts.now ?? Date.now;
  const start = now();
  const delay = opts.delayMs ?? 400;
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let shown = false;
  return {
    update(phase, done, total) {
      const t = now();
      const finished = total !== undefined && done === total;
      if (t - start < delay || (t - last < interval && !finished)) return;
      last = t;
      shown = true;
      const count = total ? ` ${Math.floor(((done ?? 0) / total) * 100)}% (${(done ?? 0).toLocaleString("en-US")}/${total.toLocaleString("en-US")})` : "…";
      // \r + erase-line: redraw in place; never more than one line.
      io.writeStderr(`\r\x1b[2Ksobre: ${phase}${count}`);
    },
    end() {
      if (shown) io.writeStderr("\r\x1b[2K");
      shown = false;
    },
  };
}
