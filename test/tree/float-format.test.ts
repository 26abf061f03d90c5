import { describe, expect, it } from "vitest";
import { formatFloatE, formatFloatF, formatFloatG } from "../../src/tree/float-format.js";

// Expected strings produced by Go 1.26 strconv.FormatFloat(f, 'g'|'f'|'E', -1, 64).
const GO_TABLE: [number, string, string, string][] = [
  [1000, "1000", "1000", "1E+03"],
  [1e6, "1e+06", "1000000", "1E+06"],
  [123456789, "1.23456789e+08", "123456789", "1.23456789E+08"],
  [1e20, "1e+20", "100000000000000000000", "1E+20"],
  [1e21, "1e+21", "1000000000000000000000", "1E+21"],
  [1.5e-7, "1.5e-07", "0.00000015", "1.5E-07"],
  [0.0001, "0.0001", "0.0001", "1E-04"],
  [0.00001, "1e-05", "0.00001", "1E-05"],
  [2.5, "2.5", "2.5", "2.5E+00"],
  [123456.7, "123456.7", "123456.7", "1.234567E+05"],
  [1234567.8, "1.2345678e+06", "1234567.8", "1.2345678E+06"],
  [0, "0", "0", "0E+00"],
];

describe("Go float formatting", () => {
  it.each(GO_TABLE)("%s", (value, g, f, e) => {
    expect(formatFloatG(value)).toBe(g);
    expect(formatFloatF(value)).toBe(f);
    expect(formatFloatE(value, true)).toBe(e);
  });

  it("renders specials and negative zero like Go", () => {
    expect(formatFloatF(NaN)).toBe("NaN");
    expect(formatFloatF(Infinity)).toBe("+Inf");
    expect(formatFloatF(-Infinity)).toBe("-Inf");
    expect(formatFloatF(-0)).toBe("-0");
    expect(formatFloatF(-2.5)).toBe("-2.5");
  });
});
