/**
 * seaIO (src/cli/sea-main.ts): the single executable's stdout goes straight to the file
 * descriptor, and to the stream it replaces as soon as a direct write fails.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { seaIO } from "../../src/cli/sea-main.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeIO(): CliIO & { streamed: Buffer[] } {
  const streamed: Buffer[] = [];
  return {
    streamed,
    readStdin: async () => new Uint8Array(0),
    writeStdout: (d) => void streamed.push(Buffer.from(d)),
    writeStderr: () => {},
    env: {},
    cwd: "/",
    stdinIsTTY: false,
    stderrIsTTY: false,
  };
}

describe.skipIf(process.platform === "win32")("seaIO", () => {
  it("writes strings and bytes to the descriptor, in order, without the stream", () => {
    const dir = mkdtempSync(join(tmpdir(), "sobre-sea-io-"));
    dirs.push(dir);
    const path = join(dir, "out");
    const fd = openSync(path, "w");
    const base = fakeIO();
    const io = seaIO(fd, base);
    io.writeStdout("héllo ");
    io.writeStdout(new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64]));
    io.writeStdout("");
    io.writeStdout(Buffer.alloc(200_000, 0x61));
    closeSync(fd);
    expect(readFileSync(path).equals(Buffer.concat([Buffer.from("héllo world"), Buffer.alloc(200_000, 0x61)]))).toBe(true);
    expect(base.streamed).toEqual([]);
  });

  it("hands the data and every later write to the stream once a direct write fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "sobre-sea-io-"));
    dirs.push(dir);
    const path = join(dir, "read-only");
    closeSync(openSync(path, "w"));
    const fd = openSync(path, "r"); // writes fail with EBADF
    const base = fakeIO();
    const io = seaIO(fd, base);
    io.writeStdout("first ");
    io.writeStdout("second");
    closeSync(fd);
    expect(Buffer.concat(base.streamed).toString()).toBe("first second");
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("keeps the rest of processIO (env, cwd, lazy tty getters) untouched", () => {
    const base = fakeIO();
    const io = seaIO(1, base);
    expect(io).toBe(base);
    expect(io.cwd).toBe("/");
    expect(io.stdinIsTTY).toBe(false);
  });
});
