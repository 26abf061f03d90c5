import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encryptValue, parseEnc } from "../../src/crypto/cipher.js";
import { parseJsonValue } from "../../src/operations/json-value.js";
import { parsePath, formatPath, getPath } from "../../src/tree/paths.js";
import { T } from "../../src/tree/types.js";
import { MARKER, expectSobre, fcParams } from "./support/fuzz.js";

/** The ENC[…] value syntax and the `--extract`/`set` path syntax under hostile input. */

const KEY = new Uint8Array(32).fill(7);
const VALID_ENC = encryptValue(KEY, Buffer.from(MARKER), "a:", "str");

describe("parseEnc", () => {
  it("never throws: random strings and mutations of a valid ENC are parsed or rejected", () => {
    const mutatedEnc = fc
      .tuple(fc.nat({ max: VALID_ENC.length }), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }))
      .map(([at, del, ins]) => VALID_ENC.slice(0, at) + ins + VALID_ENC.slice(at + del));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutatedEnc, fc.string({ unit: "binary", maxLength: 120 })), (text) => {
        const parsed = parseEnc(text);
        if (parsed) {
          expect(parsed.tag.length).toBe(16);
          expect(parsed.iv.length).toBeGreaterThan(0);
        }
      }),
      fcParams(3000),
    );
  });

  it("rejects non-canonical base64 and wrong tag lengths", () => {
    expect(parseEnc(VALID_ENC)).toBeDefined();
    expect(parseEnc(VALID_ENC.replace(/tag:[^,]+/, "tag:AAAA"))).toBeUndefined();
    expect(parseEnc(VALID_ENC.replace(/iv:[^,]+/, "iv:"))).toBeUndefined();
    expect(parseEnc(VALID_ENC.replace(/data:[^,]+/, "data:QQ"))).toBeUndefined();
  });

  it("stays linear on a huge near-miss (no regex backtracking blow-up)", () => {
    const huge = `ENC[AES256_GCM,data:${"A".repeat(2_000_000)},iv:${"B".repeat(1000)}`;
    const t0 = performance.now();
    expect(parseEnc(huge)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("parsePath", () => {
  const grammar = fc
    .array(
      fc.oneof(
        fc.nat({ max: 1e6 }).map((n) => `[${n}]`),
        fc.string({ maxLength: 6 }).map((k) => `["${k}"]`),
        fc.string({ maxLength: 6 }).map((k) => `['${k}']`),
        fc.constantFrom("[", "]", '"', "'", "\\", "[-1]", "[1.5]", "[1e3]", '["a', "['a\"]", " ", MARKER),
      ),
      { maxLength: 8 },
    )
    .map((p) => p.join(""));

  it("returns segments or a path error (exit 91), for random and grammar-ish input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), grammar), async (text) => {
        const r = await expectSobre(() => parsePath(text), text, "\u0000never");
        if (!r.ok) expect(r.error.exitCode).toBe(91);
        else expect(r.value.length).toBeGreaterThan(0);
      }),
      fcParams(3000),
    );
  });

  it("round-trips formatted paths", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat({ max: 1000 })), { minLength: 1, maxLength: 6 }), (segs) => {
        // formatPath uses JSON quoting; parsePath only unescapes `\x` → x, so restrict to keys without escapes.
        fc.pre(segs.every((s) => typeof s === "number" || !/["\\\u0000-\u001f\u007f-\uffff]/.test(s)));
        expect(parsePath(formatPath(segs))).toEqual(segs);
      }),
      fcParams(1000),
    );
  });

  it("getPath on a hostile path reports errors without the values it passes through", async () => {
    const doc = T.map([T.entry("a", T.map([T.entry("b", T.str(MARKER))])), T.entry("l", T.seq([T.str(MARKER)]))]);
    for (const p of ['["a"]["b"]["c"]', '["a"][0]', '["l"][5]', '["l"]["x"]', '["zz"]', '["l"][0][0]']) {
      const r = await expectSobre(() => getPath(doc, parsePath(p)), p);
      expect(r.ok).toBe(false);
    }
  });

  it("handles a 1 MB path without quadratic time", () => {
    const big = '["' + "k".repeat(1_000_000) + '"]';
    const t0 = performance.now();
    expect(parsePath(big)[0]).toHaveLength(1_000_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("set's JSON value", () => {
  it("random text and JSON-ish token soup: a node or exit 7, never echoing the value", async () => {
    const soup = fc
      .array(fc.oneof(fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "\\u", "\\ud800", "-", "0", "1e999", ".5", "true", "nul", " ", MARKER, `"${MARKER}"`), fc.string({ maxLength: 3 })), { maxLength: 40 })
      .map((p) => p.join(""));
    await fc.assert(
      fc.asyncProperty(fc.oneof(soup, fc.json(), fc.string({ maxLength: 60 })), async (text) => {
        const r = await expectSobre(() => parseJsonValue(text), text);
        if (!r.ok) expect(r.error.exitCode).toBe(7);
      }),
      fcParams(2000),
    );
  });

  it("10,000 levels are refused with exit 7; 100k keys and 200k numbers parse in linear time", async () => {
    const deep = await expectSobre(() => parseJsonValue("[".repeat(10_000) + "]".repeat(10_000)), "deep");
    expect(deep.ok).toBe(false);
    const t0 = performance.now();
    parseJsonValue(`{${Array.from({ length: 100_000 }, (_, i) => `"k${i}": ${i}`).join(",")}}`);
    parseJsonValue(`[${Array(200_000).fill("12345").join(",")}]`);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
