import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { createProgress } from "../../src/cli/progress.js";

function io(tty: boolean, env: Record<string, string> = {}): CliIO & { err: string } {
  const o = {
    err: "",
    readStdin: async () => new Uint8Array(),
    writeStdout: () => {},
    writeStderr(t: string) {
      o.err += t;
    },
    env,
    cwd: "/",
    stdinIsTTY: false,
    stderrIsTTY: tty,
  };
  return o;
}

describe("progress", () => {
  it("is silent when stderr is not a terminal, in CI, or when disabled", () => {
    for (const target of [io(false), io(true, { CI: "true" }), io(true, { SOBRE_NO_PROGRESS: "1" })]) {
      let t = 0;
      const p = createProgress(target, { now: () => (t += 1000) });
      p.update("encrypting", 5, 10);
      p.end();
      expect(target.err).toBe("");
    }
  });

  it("stays quiet for short runs, then redraws one line at most every interval and erases it", () => {
    const target = io(true);
    let t = 0;
    const p = createProgress(target, { now: () => t, delayMs: 400, intervalMs: 100 });
    p.update("parsing");
    expect(target.err).toBe("");
    t = 500;
    p.update("encrypting", 25_000, 100_000);
    t = 550;
    p.update("encrypting", 30_000, 100_000); // throttled
    t = 700;
    p.update("encrypting", 100_000, 100_000);
    p.end();
    expect(target.err).toBe("\r\x1b[2Ksobre: encrypting 25% (25,000/100,000)\r\x1b[2Ksobre: encrypting 100% (100,000/100,000)\r\x1b[2K");
    expect(target.err).not.toContain("\n");
  });
});
