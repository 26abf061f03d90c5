/**
 * `readInputFile` with `sharedFrom`: a large regular file lands on a SharedArrayBuffer
 * (so a cipher worker can read its ENC texts in place), with exactly the file's bytes;
 * anything else is read as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInputFile } from "../../src/operations/file-io.js";

const dir = mkdtempSync(join(tmpdir(), "sobre-read-shared-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readInputFile sharedFrom", () => {
  const big = Buffer.alloc(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
  const path = join(dir, "big.bin");
  writeFileSync(path, big);

  it("a regular file at or above the threshold is read into shared memory, byte for byte", () => {
    const got = readInputFile(path, { sharedFrom: big.length });
    expect(got.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.byteLength), big)).toBe(0);
  });

  it("a smaller file, or no option, is read as before", () => {
    expect(readInputFile(path, { sharedFrom: big.length + 1 }).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(readInputFile(path).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const empty = join(dir, "empty");
    writeFileSync(empty, "");
    expect(readInputFile(empty, { sharedFrom: 0 }).length).toBe(0);
  });

  it("a missing file is still exit 100", () => {
    expect(() => readInputFile(join(dir, "nope"), { sharedFrom: 1 })).toThrow(/no such file/);
  });
});
