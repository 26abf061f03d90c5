import { describe, expect, it } from "vitest";
import { at, emit, layoutOf, parse } from "./helpers.js";
import { fakeDecrypt, fakeEncrypt } from "./sim.js";

const DOC = `# file header
title = "x" # inline on title
a.b = 1 # inline on dotted

# trailing root comment, separated from the header

# about server
# second line
[server] # on the header
port = 80
# inside server

[[fruit]]
name = "apple"
# above the second fruit
[[fruit]] # second
name = "banana"

# above a nested table
[x.y]
list = [
  1, # after one
  # own line
  2,
]
`;

describe("tomlFormat comments", () => {
  const doc = parse(DOC);

  it("puts comment lines in the table of their section, in order", () => {
    expect(layoutOf(doc)).toEqual([
      "# file header",
      "# inline on title",
      "title",
      "a",
      "# trailing root comment, separated from the header",
      "# about server",
      "# second line",
      "# on the header",
      "server",
      "fruit",
      "x",
    ]);
    expect(layoutOf(at(doc, "server"))).toEqual(["port", "# inside server"]);
  });

  it("stores an inline comment right before its entry, in the entry's own table", () => {
    expect(layoutOf(at(doc, "a"))).toEqual(["# inline on dotted", "b"]);
  });

  it("gives the comments above [[x]] to the array, before that element", () => {
    expect(layoutOf(at(doc, "fruit"))).toEqual(["<map>", "# above the second fruit", "# second", "<map>"]);
  });

  it("gives the comments above [a.b] to table a, before entry b", () => {
    expect(layoutOf(at(doc, "x"))).toEqual(["# above a nested table", "y"]);
  });

  it("keeps comments of a multi-line array in the array", () => {
    expect(layoutOf(at(doc, "x", "y", "list"))).toEqual(["<leaf>", "# after one", "# own line", "<leaf>"]);
  });

  it("writes encrypted comments as #ENC[…] in place and restores them", () => {
    const d = parse(DOC);
    const saved = fakeEncrypt(d);
    const text = emit(d);
    expect(text.split("\n").slice(0, 9)).toEqual([
      "#ENC[AES256_GCM,data:c1,type:comment]",
      'title = "ENC[AES256_GCM,data:1,type:x]" #ENC[AES256_GCM,data:c2,type:comment]',
      'a.b = "ENC[AES256_GCM,data:2,type:x]" #ENC[AES256_GCM,data:c3,type:comment]',
      "",
      "#ENC[AES256_GCM,data:c4,type:comment]",
      "",
      "#ENC[AES256_GCM,data:c5,type:comment]",
      "#ENC[AES256_GCM,data:c6,type:comment]",
      "[server] #ENC[AES256_GCM,data:c7,type:comment]",
    ]);
    expect(text).toContain('  "ENC[AES256_GCM,data:6,type:x]", #ENC[');
    // Re-reading the encrypted text puts every comment back in the same container.
    const back = parse(text);
    expect(layoutOf(at(back, "fruit"))).toEqual(layoutOf(at(d, "fruit")));
    expect(layoutOf(back).length).toBe(layoutOf(d).length);
    fakeDecrypt(back, saved);
    expect(emit(back)).toBe(DOC);
  });

  it("drops a removed comment with its line, and an inline one from its line", () => {
    const d = parse(DOC);
    d.items = d.items.filter((i) => !(i.kind === "comment" && (i.text === " file header" || i.text === " inline on title")));
    const text = emit(d);
    expect(text.startsWith('title = "x"\na.b = 1 # inline on dotted\n')).toBe(true);
  });
});
