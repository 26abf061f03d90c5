import { describe, expect, it } from "vitest";
import { lowerLocalTimes } from "../../src/tree/convert-types.js";
import { T } from "../../src/tree/types.js";

describe("lowerLocalTimes", () => {
  it("turns TOML local date/time values into strings and names their paths", () => {
    const doc = T.map([
      T.entry("d", T.leaf({ type: "date_local", value: "1979-05-27" })),
      T.entry("list", T.seq([T.leaf({ type: "time_local", value: "07:32:00" }), T.int(1)])),
      T.entry("t", T.leaf({ type: "time", value: "1979-05-27T07:32:00Z" })),
    ]);
    expect(lowerLocalTimes([doc])).toEqual(["d", "list[0]"]);
    expect(doc).toEqual(
      T.map([
        T.entry("d", T.str("1979-05-27")),
        T.entry("list", T.seq([T.str("07:32:00"), T.int(1)])),
        T.entry("t", T.leaf({ type: "time", value: "1979-05-27T07:32:00Z" })),
      ]),
    );
  });
});
