import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { flattenMetadata, scalarToText, unflattenMetadata } from "../../src/formats/flatten.js";
import { nodeToRaw, rawToNode } from "../../src/metadata/raw.js";
import { T, type MapNode } from "../../src/tree/types.js";

const META = rawToNode({
  key_groups: [
    { age: [], hc_vault: [], kms: [{ arn: "arn:a", context: { env: "prod", app: "x" } }] },
    { pgp: [{ enc: "-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----", fp: "F00" }] },
  ],
  lastmodified: "2026-01-02T03:04:05Z",
  mac_only_encrypted: true,
  shamir_threshold: 2n,
  version: "3.13.2",
}) as MapNode;

describe("flattenMetadata", () => {
  it("flattens with __map_/__list_ segments, stringifying scalars and dropping empty lists", () => {
    expect(flattenMetadata(META, "sops_")).toEqual([
      ["sops_key_groups__list_0__map_kms__list_0__map_arn", "arn:a"],
      ["sops_key_groups__list_0__map_kms__list_0__map_context__map_env", "prod"],
      ["sops_key_groups__list_0__map_kms__list_0__map_context__map_app", "x"],
      ["sops_key_groups__list_1__map_pgp__list_0__map_enc", "-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----"],
      ["sops_key_groups__list_1__map_pgp__list_0__map_fp", "F00"],
      ["sops_lastmodified", "2026-01-02T03:04:05Z"],
      ["sops_mac_only_encrypted", "true"],
      ["sops_shamir_threshold", "2"],
      ["sops_version", "3.13.2"],
    ]);
  });

  it("refuses key collisions", () => {
    const clash = T.map([T.entry("a__map_b", T.str("1")), T.entry("a", T.map([T.entry("b", T.str("2"))]))]);
    expect(() => flattenMetadata(clash, "")).toThrow(FormatError);
  });
});

describe("unflattenMetadata", () => {
  it("inverts flattening (maps come back sorted, values as strings)", () => {
    const back = nodeToRaw(unflattenMetadata(flattenMetadata(META, "sops_"), "sops_"));
    expect(back).toEqual({
      key_groups: [
        { kms: [{ arn: "arn:a", context: { app: "x", env: "prod" } }] },
        { pgp: [{ enc: "-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----", fp: "F00" }] },
      ],
      lastmodified: "2026-01-02T03:04:05Z",
      mac_only_encrypted: "true",
      shamir_threshold: "2",
      version: "3.13.2",
    });
    expect(Object.keys((back as { key_groups: Array<Record<string, unknown>> }).key_groups[0]!.kms as object)).toEqual(["0"]);
  });

  it.each([
    [[["a", "1"], ["a", "2"]], /duplicate value/],
    [[["a", "1"], ["a__map_b", "2"]], /duplicate value|type mismatch/],
    [[["a__list_1", "x"]], /incomplete list/],
    [[["a__list_0", "x"], ["a__map_k", "y"]], /type mismatch/],
  ] as const)("refuses %j", (pairs, message) => {
    expect(() => unflattenMetadata(pairs as unknown as [string, string][], "")).toThrow(message);
  });
});

describe("scalarToText", () => {
  it("renders scalars as SOPS's ValToString", () => {
    const f = (value: number): unknown => scalarToText({ type: "float", value });
    expect([f(1000), f(1e21), f(0.5), f(1e-7), f(-0), f(123456.5), f(1e6)]).toEqual(["1000.0", "1E+21", "0.5", "1E-07", "-0.0", "123456.5", "1E+06"]);
    expect(scalarToText({ type: "int", value: -5n })).toBe("-5");
    expect(scalarToText({ type: "bool", value: false })).toBe("false");
    expect(scalarToText({ type: "time", value: "2024-01-02T03:04:05.123456Z" })).toBe("2024-01-02T03:04:05Z");
    expect(scalarToText({ type: "null" })).toBe("");
  });
});
