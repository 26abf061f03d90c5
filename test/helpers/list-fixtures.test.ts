import { describe, expect, it } from "vitest";
import { loadInteropFixtures } from "./fixtures.js";

describe("interop fixture manifest", () => {
  it("lists the real SOPS files with their keys and expectations", () => {
    const all = loadInteropFixtures();
    expect(all.length).toBeGreaterThanOrEqual(80);
    const age = all.filter((f) => f.keyTypes.includes("age"));
    expect(age.length).toBeGreaterThanOrEqual(15);
    for (const f of all) expect(f.keyFiles.length, f.file).toBeGreaterThan(0);
    expect(all.filter((f) => f.negative).length).toBe(2);
  });
});
