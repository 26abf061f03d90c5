import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPrivateDir, sweepStale } from "../../src/exec/private-dir.js";

describe("stale private directories", () => {
  it("removes directories of dead sobre processes, keeps live ones and foreign names", () => {
    const parent = mkdtempSync(join(tmpdir(), "sobre-sweep-"));
    const dead = join(parent, ".sobre-999999999-abc");
    const live = join(parent, `.sobre-${process.ppid}-def`);
    const other = join(parent, "not-ours");
    for (const d of [dead, live, other]) {
      mkdirSync(d);
      writeFileSync(join(d, "plain.yaml"), "secret: x\n");
    }
    sweepStale(parent);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it("names new directories after this process so a later run can sweep them", () => {
    const parent = mkdtempSync(join(tmpdir(), "sobre-sweep-"));
    const dir = createPrivateDir({ env: {}, parent });
    expect(dir.path).toContain(`.sobre-${process.pid}-`);
    dir.remove();
  });
});
