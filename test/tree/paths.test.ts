import { describe, expect, it } from "vitest";
import { getPath, parsePath } from "../../src/tree/paths.js";
import { T } from "../../src/tree/types.js";

describe("tree paths", () => {
  it("parses SOPS's bracket syntax", () => {
    expect(parsePath(`["a"][0]["b c"]`)).toEqual(["a", 0, "b c"]);
    expect(parsePath(`['x']`)).toEqual(["x"]);
  });

  it("rejects malformed paths with exit code 91", () => {
    for (const bad of ["a", `["a"`, "[x]", ""]) {
      expect(() => parsePath(bad)).toThrow(expect.objectContaining({ exitCode: 91 }));
    }
  });

  it("follows keys and indices, naming the missing component", () => {
    const doc = T.map([T.entry("a", T.seq([T.comment("c"), T.str("x"), T.str("y")]))]);
    expect(getPath(doc, ["a", 1])).toEqual(T.str("y"));
    expect(() => getPath(doc, ["b"])).toThrow(/\["b"\].*not found/);
    expect(() => getPath(doc, ["a", 5])).toThrow(/out of bounds/);
  });
});
