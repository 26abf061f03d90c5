import { describe, expect, it } from "vitest";
import { compareRecipients } from "../../src/operations/inspect-file.js";

describe("compareRecipients", () => {
  const stored = (id: string) => ({ type: "age", record: { recipient: id } });
  const key = (id: string) => ({ type: "age" as const, id, fields: {} });
  it("lists missing and extra recipients", () => {
    expect(compareRecipients([[stored("age1a"), stored("age1b")]], [[key("age1a"), key("age1c")]])).toEqual({ missing: ["age:age1c"], extra: ["age:age1b"] });
    expect(compareRecipients([[stored("age1a")]], [[key("age1a")]])).toEqual({ missing: [], extra: [] });
  });
});
