import { describe, expect, it } from "vitest";
import { envFromDocument } from "../../src/operations/env-values.js";
import { T } from "../../src/tree/types.js";

describe("exec-env values from dotenv files", () => {
  const doc = T.map([
    T.entry("export TOKEN", T.str('"a b"')),
    T.entry("SINGLE", T.str("'x\\ny'")),
    T.entry("ESCAPED", T.str('"line\\none"')),
    T.entry("BARE", T.str('say "hi"')),
  ]);

  it("strips `export ` and one pair of outer quotes, as dotenv tools read them", () => {
    expect(envFromDocument(doc, "a.env", { dotenv: true })).toEqual({ TOKEN: "a b", SINGLE: "x\\ny", ESCAPED: "line\none", BARE: 'say "hi"' });
  });

  it("passes values through unchanged for other formats (SOPS semantics)", () => {
    expect(envFromDocument(T.map([T.entry("A", T.str('"q"'))]), "a.yaml")).toEqual({ A: '"q"' });
  });
});
