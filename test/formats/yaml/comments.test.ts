import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import { parse, toOracle } from "./helpers.js";

/**
 * Goldens: the trees SOPS 3.13's YAML store (go-yaml v3.0.4) builds for these inputs,
 * dumped with comments as `{comment, inline}` items. Which container a comment lands in
 * is its AAD, so these must match exactly.
 */
const goldens = JSON.parse(readFileSync(new URL("./fixtures/comment-goldens.json", import.meta.url), "utf8")) as {
  cases: { input: string; expected: unknown[] }[];
};

describe("comment attachment (go-yaml v3 + SOPS store)", () => {
  it.each(goldens.cases.map((c, i) => [i, c.input.split(/\r?\n/)[0], c] as const))("golden %i (%s…)", async (_i, _first, c) => {
    const docs = await parse(c.input);
    expect(docs.map(toOracle)).toEqual(c.expected);
  });

  it("places the functional-test comments like SOPS 3.13", async () => {
    const dir = join(INTEROP_FIXTURES, "getsops-sops/functional-tests");
    const [comments] = await parse(readFileSync(join(dir, "comments.yaml")));
    expect(toOracle(comments!)).toEqual({
      map: [
        { comment: " first comment in file", inline: false },
        { key: "lorem", value: { str: "ipsum" } },
        { comment: " this-is-a-comment", inline: false },
        { key: "dolor", value: { str: "sit" } },
      ],
    });
    const [list] = await parse(readFileSync(join(dir, "comments_list.yaml")));
    expect(toOracle(list!)).toEqual({
      map: [{ key: "lorem", value: { seq: [{ str: "foo" }, { comment: "this-is-a-comment", inline: false }, { str: "bar" }] } }],
    });
  });

  it("puts the spec §10 comment at the top level (AAD `:`), not at the end of `app`", async () => {
    const [doc] = await parse("app:\n    user: admin\n    port: 5432\n# list\ntags:\n    - x\n");
    expect(doc!.items[1]).toMatchObject({ kind: "comment", text: " list" });
  });

  it("keeps a scalar's line comment inline and before its entry", async () => {
    const [doc] = await parse("first: 1 # inline comment\nl:\n  - b # in list\n");
    expect(toOracle(doc!)).toEqual({
      map: [
        { comment: " inline comment", inline: true },
        { key: "first", value: { int: "1" } },
        { key: "l", value: { seq: [{ comment: " in list", inline: true }, { str: "b" }] } },
      ],
    });
  });

  it("keeps the comment text verbatim after #", async () => {
    const [doc] = await parse("#no space\n#   spaced  \na: 1\n");
    expect(doc!.items.slice(0, 2).map((c) => (c as { text: string }).text)).toEqual(["no space", "   spaced  "]);
  });
});
