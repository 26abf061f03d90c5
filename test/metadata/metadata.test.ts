import { describe, expect, it } from "vitest";
import { macAad, nowRfc3339 } from "../../src/metadata/timestamps.js";

describe("metadata timestamps", () => {
  it("renders lastmodified in UTC seconds", () => {
    expect(nowRfc3339(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05Z");
  });

  it("derives the MAC AAD like Go's RFC 3339 re-rendering", () => {
    expect(macAad("2026-01-02T03:04:05Z")).toBe("2026-01-02T03:04:05Z");
    expect(macAad("2026-01-02T03:04:05.123456Z")).toBe("2026-01-02T03:04:05Z");
    expect(macAad("2026-01-02T03:04:05+00:00")).toBe("2026-01-02T03:04:05Z");
    expect(macAad("2026-01-02T05:04:05+02:00")).toBe("2026-01-02T05:04:05+02:00");
    expect(macAad("yesterday")).toBeUndefined();
  });
});
