import { describe, expect, it } from "vitest";
import { resolvePlain, resolvesToNonString, UintOverflow } from "../../../src/formats/yaml/resolve.js";
import { parseGoTimestamp } from "../../../src/formats/yaml/timestamp.js";

// Expected values checked against go-yaml v3.0.4 decoding into interface{} (as SOPS does).
const TABLE: [string, string, unknown][] = [
  ["0", "int", 0n],
  ["0777", "int", 511n],
  ["-0777", "int", -511n],
  ["08", "float", 8],
  ["09", "float", 9],
  ["+12", "int", 12n],
  ["0x1F", "int", 31n],
  ["0X1f", "int", 31n],
  ["-0x1F", "int", -31n],
  ["0o17", "int", 15n],
  ["0b101", "int", 5n],
  ["-0b11", "int", -3n],
  ["1_000", "int", 1000n],
  ["0x_1F", "int", 31n],
  ["_1", "str", "_1"],
  ["1.", "float", 1],
  ["-.5", "float", -0.5],
  [".5e3", "float", 500],
  ["1e3", "float", 1000],
  ["1E3", "float", 1000],
  ["1e400", "str", "1e400"],
  ["9223372036854775807", "int", 9223372036854775807n],
  ["-9223372036854775808", "int", -9223372036854775808n],
  ["-9223372036854775809", "float", -9223372036854775809],
  ["18446744073709551616", "float", 18446744073709551616],
  ["+9223372036854775808", "float", 9223372036854775808],
  ["0x1FFFFFFFFFFFFFFFF", "str", "0x1FFFFFFFFFFFFFFFF"],
  [".inf", "float", Infinity],
  ["-.Inf", "float", -Infinity],
  ["+.INF", "float", Infinity],
  [".iNf", "str", ".iNf"],
  ["true", "bool", true],
  ["True", "bool", true],
  ["FALSE", "bool", false],
  ["tRue", "str", "tRue"],
  ["yes", "str", "yes"],
  ["no", "str", "no"],
  ["on", "str", "on"],
  ["off", "str", "off"],
  ["y", "str", "y"],
  ["~", "null", undefined],
  ["null", "null", undefined],
  ["Null", "null", undefined],
  ["nULL", "str", "nULL"],
  ["", "null", undefined],
  ["2024-01-02", "time", "2024-01-02T00:00:00Z"],
  ["2024-1-2", "time", "2024-01-02T00:00:00Z"],
  ["2024-02-30", "str", "2024-02-30"],
  ["2024-02-29", "time", "2024-02-29T00:00:00Z"],
  ["2023-02-29", "str", "2023-02-29"],
  ["2001-12-14t21:59:43.10-05:00", "time", "2001-12-14T21:59:43.1-05:00"],
  ["2001-12-14T21:59:43.1234567891Z", "time", "2001-12-14T21:59:43.123456789Z"],
  ["2001-12-14 21:59:43.10", "time", "2001-12-14T21:59:43.1Z"],
  ["2001-12-14 21:59:43.10 -5", "str", "2001-12-14 21:59:43.10 -5"],
  ["2001-12-14T21:59:43+00:00", "time", "2001-12-14T21:59:43Z"],
  ["2001-12-14T1:2:3Z", "time", "2001-12-14T01:02:03Z"],
  ["2024-01-02T10:00:00", "str", "2024-01-02T10:00:00"],
  ["20240102", "int", 20240102n],
  ["12:30", "str", "12:30"],
  ["0x1p3", "str", "0x1p3"],
  ["1_0.5_0", "float", 10.5],
  ["0o8", "str", "0o8"],
  ["+", "str", "+"],
  ["3.14159", "float", 3.14159],
  ["-0", "int", 0n],
  ["ENC[AES256_GCM,data:x,type:str]", "str", "ENC[AES256_GCM,data:x,type:str]"],
];

describe("resolvePlain (go-yaml v3 typing)", () => {
  it.each(TABLE)("%j → %s", (text, type, value) => {
    const r = resolvePlain(text);
    expect(r).not.toBeInstanceOf(UintOverflow);
    const v = r as { type: string; value?: unknown };
    expect(v.type).toBe(type);
    if (value !== undefined) expect(v.value).toEqual(value);
  });

  it("reports integers that only fit uint64", () => {
    expect(resolvePlain("9223372036854775808")).toBeInstanceOf(UintOverflow);
    expect(resolvePlain("18446744073709551615")).toBeInstanceOf(UintOverflow);
    expect(resolvePlain("0xFFFFFFFFFFFFFFFF")).toBeInstanceOf(UintOverflow);
  });
});

describe("parseGoTimestamp", () => {
  it("needs four year digits and a dash", () => {
    expect(parseGoTimestamp("24-01-02")).toBeUndefined();
    expect(parseGoTimestamp("0000-01-01")).toBe("0000-01-01T00:00:00Z");
  });
});

describe("resolvesToNonString", () => {
  // The letter shortcut must agree with resolvePlain on every first character.
  it.each(["", "~", "null", "Null", "NULL", "true", "False", ".inf", "-.Inf", ".nan", "1", "+1", "-1", "0x1F", "1e3", "2001-12-14", "1_000", ".5"])("%j is not a string", (s) => {
    expect(resolvesToNonString(s)).toBe(true);
  });
  it.each(["x", "svc-1", "true_", "Trueish", "nullable", "n", "y", "no", "abc def", "-", "+", ".", "-x", "1:30:00x", "db.internal"])("%j is a string", (s) => {
    expect(resolvesToNonString(s)).toBe(false);
  });
  it("agrees with resolvePlain for every first character", () => {
    for (let c = 0; c < 0x180; c++) {
      for (const rest of ["", "ull", "rue", "inf", "x", "2345678"]) {
        const s = String.fromCharCode(c) + rest;
        const r = resolvePlain(s);
        expect(resolvesToNonString(s)).toBe(r instanceof UintOverflow || r.type !== "str");
      }
    }
  });
});
