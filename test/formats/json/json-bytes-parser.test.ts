/**
 * The decrypt path's byte parser (bytes-parser.ts) against the string parser it stands
 * in for: same tree, layout hints, ENC ranges, output and errors (message, position,
 * hint) on every ASCII JSONTestSuite case and on hand-written edge cases.
 */
import { isAscii } from "node:buffer";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { parseJsonBytes } from "../../../src/formats/json/bytes-parser.js";
import { emitJson, parseJson } from "../../../src/formats/json/index.js";
import { parseJsonText } from "../../../src/formats/json/parser.js";
import { EncRanges } from "../../../src/tree/enc-ranges.js";
import type { MapNode } from "../../../src/tree/types.js";
import { CONFORMANCE } from "../../helpers/paths.js";

const latin1 = (b: Uint8Array, start = 0, end = b.length): string => Buffer.from(b).toString("latin1", start, end);

type Outcome =
  | { tree: MapNode; ranges: [number, number][]; output: string }
  | { error: string; position: unknown; hint: unknown };

function run(parse: (ranges: EncRanges) => MapNode, bytes: Uint8Array): Outcome {
  const ranges = new EncRanges(bytes, latin1);
  try {
    const tree = parse(ranges);
    const spans: [number, number][] = [];
    for (let k = 0; k < ranges.count; k++) {
      spans.push([ranges.start(k), ranges.end(k)]);
      ranges.materialise(k);
    }
    ranges.release();
    return { tree, ranges: spans, output: latin1(emitJson(tree, { file: "f" })) };
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return { error: e.message, position: e.position, hint: e.hint };
  }
}

/** Both parsers on the same ASCII bytes; returns the (equal) outcome. */
function same(input: string | Uint8Array): Outcome {
  const bytes = typeof input === "string" ? Buffer.from(input, "latin1") : input;
  expect(isAscii(bytes)).toBe(true);
  const expected = run((r) => parseJsonText(latin1(bytes), "f", r), bytes);
  const actual = run((r) => parseJsonBytes(bytes, "f", r), bytes);
  expect(actual).toEqual(expected);
  return actual;
}

const ENC = "ENC[AES256_GCM,data:QUJD,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]";

describe("JSON byte parser (decrypt path) matches the string parser", () => {
  it("on every ASCII JSONTestSuite case", () => {
    const dir = resolve(CONFORMANCE, "JSONTestSuite/test_parsing");
    let parsed = 0;
    let failed = 0;
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(resolve(dir, name));
      if (!isAscii(bytes)) continue;
      const out = same(bytes);
      if ("tree" in out) parsed++;
      else failed++;
    }
    expect(parsed).toBeGreaterThanOrEqual(12);
    expect(failed).toBeGreaterThanOrEqual(70);
  });

  it("keeps canonical ENC values as ranges, everything else as strings", () => {
    const text = `{\n  "a": "${ENC}",\n  "b": ["${ENC}", "ENC[AES256_GCM,data:<x>]", "ENC[AES256_GCM,data:\\u0041]"],\n  "sops": {"mac": "${ENC}"}\n}\n`;
    const out = same(text);
    expect("tree" in out && out.ranges.length).toBe(2);
  });

  it("on layout, escapes, numbers and literals", () => {
    const cases = [
      '{"a":1,"b":-0,"c":1.50,"d":1E3,"e":-12345678901234567890,"f":9223372036854775807}',
      '{\r\n\t"k\\u00e9y": "x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\ud83d\\ude00\\ud800", "h": "<&>"}\r\n',
      '{"a" : [ 1 ,2,\n 3 ], "b": [], "c": {}, "d": [true, false, null], "e": {"x": {"y": [[{}]]}}}  ',
      '{"same": 1, "same": 2, "long key that is longer than thirteen": "value that is long enough"}',
      `{"a": [\n    "${ENC}",\n  "${ENC}"\n]}`,
    ];
    for (const text of cases) expect("tree" in same(text), text).toBe(true);
  });

  it("on errors, at the same line, column and hint", () => {
    const cases = [
      "",
      "  \n ",
      "[1]",
      '"x"',
      '{"a": 1} x',
      '{"a": 1,}',
      '{"a" 1}',
      '{"a": 1 "b": 2}',
      '{"a": [1 2]}',
      '{\n  "a": "unterminated',
      '{\n  "a": "bad \\x escape"}',
      '{\n  "a": "bad \\u12"}',
      '{\n  "a": "ctl \u0001 char"}',
      '{"a": "x\\',
      `{"a": "${ENC}`,
      `{"a": "${ENC}\n"}`,
      '{"a": -}',
      '{"a": 1.}',
      '{"a": 1e+}',
      '{"a": 1e999}',
      '{"a": tru}',
      '{"a": nul',
      '{"a":',
      '{"a"',
      "{",
      '{"a": ' + "[".repeat(1001) + "]".repeat(1001) + "}",
    ];
    for (const text of cases) expect("error" in same(text), JSON.stringify(text)).toBe(true);
  });

  it("is what parseJson uses for an ASCII decrypt, not for non-ASCII input", () => {
    const bytes = Buffer.from(`{"a": "${ENC}"}`, "latin1");
    let seen: EncRanges | undefined;
    parseJson(bytes, "f", (r) => (seen = r));
    expect(seen?.count).toBe(1);
    seen = undefined;
    parseJson(Buffer.from(`{"é": "${ENC}"}`), "f", (r) => (seen = r));
    expect(seen).toBeUndefined();
  });
});
