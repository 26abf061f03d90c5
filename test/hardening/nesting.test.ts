import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { MAX_NESTING } from "../../src/tree/nesting.js";
import { loadFormat } from "../../src/formats/registry.js";
import type { FormatName } from "../../src/formats/types.js";
import { parsePath } from "../../src/tree/paths.js";
import { expectSobre } from "./support/fuzz.js";
import { decryptBytes, encryptText } from "./support/samples.js";

/**
 * Deep nesting: 10,000 levels in every nesting syntax each format has must be refused
 * with a clear FormatError (no RangeError from a blown JS stack), and the deepest
 * accepted structure must go through encrypt → decrypt (walker, cipher, emitters).
 */

type Gen = (depth: number) => string;
const GENERATORS: [FormatName, string, Gen][] = [
  ["json", "objects", (d) => '{"a":'.repeat(d) + '"x"' + "}".repeat(d)],
  ["json", "arrays", (d) => '{"a":' + "[".repeat(d - 1) + '"x"' + "]".repeat(d - 1) + "}"],
  ["yaml", "flow sequences", (d) => "a: " + "[".repeat(d - 1) + "x" + "]".repeat(d - 1) + "\n"],
  ["yaml", "flow mappings", (d) => "a: " + "{a: ".repeat(d - 1) + "x" + "}".repeat(d - 1) + "\n"],
  ["yaml", "block mappings", (d) => Array.from({ length: d }, (_, i) => " ".repeat(i) + "a:").join("\n") + " x\n"],
  ["yaml", "block sequences", (d) => "a:\n" + Array.from({ length: d - 1 }, (_, i) => " ".repeat(i * 2 + 1) + "-").join("\n") + " x\n"],
  // A comment inside a flow collection sends the file to the `yaml` package fallback.
  ["yaml", "flow with a comment (fallback parser)", (d) => "a: [ # c\n  " + "[".repeat(d - 2) + "x" + "]".repeat(d - 1) + "\n"],
  ["toml", "arrays", (d) => "a = " + "[".repeat(d - 1) + '"x"' + "]".repeat(d - 1) + "\n"],
  ["toml", "inline tables", (d) => "a = " + "{b = ".repeat(d - 1) + '"x"' + "}".repeat(d - 1) + "\n"],
  ["toml", "dotted keys", (d) => Array.from({ length: d }, () => "a").join(".") + ' = "x"\n'],
  ["toml", "table header plus dotted key", (d) => `[${Array.from({ length: Math.ceil(d / 2) }, () => "a").join(".")}]\n${Array.from({ length: Math.ceil(d / 2) }, () => "b").join(".")} = "x"\n`],
];

describe.each(GENERATORS)("%s %s", (format, _name, gen) => {
  it("10,000 levels: a FormatError naming the limit, quickly", async () => {
    const f = await loadFormat(format);
    const text = gen(10_000);
    const t0 = performance.now();
    const r = await expectSobre(async () => f.parse(Buffer.from(text), { file: "deep", mode: "plain" }), text.slice(0, 100));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(FormatError);
      expect(r.error.exitCode).toBe(2);
      expect(r.error.message).toMatch(/nesting deeper than \d+ levels is not supported/);
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  // The `yaml` package fallback recurses deeper per level and gives up near 800 levels.
  const deepest = _name.includes("fallback") ? 500 : MAX_NESTING - 5;
  it(`${deepest} levels: encrypts and decrypts to the same values`, async () => {
    const text = gen(deepest);
    const encrypted = await encryptText(format, text);
    const f = await loadFormat(format);
    const back = await decryptBytes(format, encrypted);
    const strip = (t: Uint8Array | string) => JSON.stringify(countLeaves(f, t));
    expect(await strip(back)).toBe(await strip(text));
  });
});

async function countLeaves(f: Awaited<ReturnType<typeof loadFormat>>, input: Uint8Array | string): Promise<string[]> {
  const docs = await f.parse(typeof input === "string" ? Buffer.from(input) : input, { file: "x", mode: "plain" });
  const out: string[] = [];
  const stack = [...docs] as import("../../src/tree/types.js").Node[];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === "leaf") out.push(JSON.stringify(n.value, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
    else if (n.kind === "map") for (const i of n.items) i.kind === "entry" && stack.push(i.value);
    else for (const i of n.items) i.kind !== "comment" && stack.push(i);
  }
  return out;
}

describe("paths", () => {
  it("a 100,000-segment --extract/set path is refused, not a stack overflow", async () => {
    const path = '["a"]'.repeat(100_000);
    const r = await expectSobre(() => parsePath(path), "deep path");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.exitCode).toBe(91);
  });
});
