import { describe, expect, it } from "vitest";
import { envFromDocument, renderEnvValue } from "../../src/operations/env-values.js";
import { T } from "../../src/tree/types.js";

describe("renderEnvValue (SOPS ValToString)", () => {
  it.each([
    [{ type: "float", value: 1000 } as const, "1000.0"],
    [{ type: "float", value: 1e21 } as const, "1E+21"],
    [{ type: "float", value: 0.5 } as const, "0.5"],
    [{ type: "float", value: 1.5e-7 } as const, "1.5E-07"],
    [{ type: "float", value: Infinity } as const, "+Inf"],
    [{ type: "int", value: -9007199254740993n } as const, "-9007199254740993"],
    [{ type: "bool", value: false } as const, "false"],
    [{ type: "time", value: "2024-01-02T03:04:05.123456Z" } as const, "2024-01-02T03:04:05Z"],
    [{ type: "time", value: "2024-01-02T03:04:05+01:00" } as const, "2024-01-02T03:04:05+01:00"],
    [{ type: "null" } as const, ""],
  ])("%o → %s", (value, text) => expect(renderEnvValue(value)).toBe(text));

  it("skips comments and rejects non-UTF-8 values by key", () => {
    expect(envFromDocument(T.map([T.comment(" c"), T.entry("A", T.str("x"))]), "f")).toEqual({ A: "x" });
    const bytes = T.map([T.entry("B", T.leaf({ type: "bytes", value: Uint8Array.of(0xff) }))]);
    expect(() => envFromDocument(bytes, "f.yaml")).toThrow(/"B" is not valid UTF-8/);
  });
});
