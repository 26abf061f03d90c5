import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { yamlFormat } from "../../../src/formats/yaml/index.js";
import { emit, parse, toOracle } from "./helpers.js";

describe("yaml package fallback", () => {
  it("handles explicit keys with go-yaml typing and no layout", async () => {
    const input = new TextEncoder().encode("? a\n: 0x1F\nb: [1, # one\n  2]\nc: yes\n");
    const result = yamlFormat.parse(input, { file: "t.yaml", mode: "plain" });
    expect(result).toBeInstanceOf(Promise);
    const docs = await result;
    expect(docs[0]!.src).toBeUndefined();
    expect(toOracle(docs[0]!)).toMatchObject({
      map: [
        { key: "a", value: { int: "31" } },
        { key: "b", value: { seq: [{ int: "1" }, { comment: " one", inline: false }, { int: "2" }] } },
        { key: "c", value: { str: "yes" } },
      ],
    });
    expect(emit(docs)).toBe("a: 31\nb:\n    - 1\n    # one\n    - 2\nc: \"yes\"\n");
  });

  it("refuses aliases there too", async () => {
    await expect(parse("? a\n: &x 1\nb: *x\n")).rejects.toBeInstanceOf(FormatError);
  });

  it("refuses non-string keys there too", async () => {
    await expect(parse("? [a, b]\n: 1\n")).rejects.toThrow(/complex mapping keys/);
  });
});
