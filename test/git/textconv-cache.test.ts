import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TextconvCache } from "../../src/git/textconv-cache.js";

describe("TextconvCache", () => {
  it("round-trips, stores ciphertext only, and misses on tampering or another key", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sobre-tc-")), "textconv");
    const cache = TextconvCache.open(dir)!;
    const name = TextconvCache.nameFor(Buffer.from("blob"));
    cache.put(name, "yaml", Buffer.from("password: cached-secret\n"));
    expect(Buffer.from(cache.get(name, "yaml")!).toString()).toBe("password: cached-secret\n");
    expect(cache.get(name, "json")).toBeUndefined(); // bound to the output kind
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, f)).toString("latin1")).not.toContain("cached-secret");
    }
    const raw = readFileSync(join(dir, name));
    raw[raw.length - 1]! ^= 1;
    writeFileSync(join(dir, name), raw);
    expect(cache.get(name, "yaml")).toBeUndefined();
    TextconvCache.clear(dir);
    expect(TextconvCache.open(dir)!.get(name, "yaml")).toBeUndefined();
  });
});
