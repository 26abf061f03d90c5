import { describe, expect, it } from "vitest";
import { aadText, walkDocumentParts, walkDocuments } from "../../src/tree/walk.js";
import type { Comment, MapNode, Node } from "../../src/tree/types.js";

const leaf = (value: string | null): Node => ({ kind: "leaf", value: value === null ? { type: "null" } : { type: "str", value } });
const note = (text: string): Comment => ({ kind: "comment", text });

/** Maps, sequences (of leaves, maps, sequences), comments at every level, a null, unicode keys. */
const DOCS: MapNode[] = [
  {
    kind: "map",
    items: [
      note(" top"),
      { kind: "entry", key: "a", value: leaf("1") },
      { kind: "entry", key: "ключ", value: { kind: "map", items: [note(" in map"), { kind: "entry", key: "b", value: leaf("2") }, { kind: "entry", key: "n", value: leaf(null) }] } },
      {
        kind: "entry",
        key: "list",
        value: {
          kind: "seq",
          items: [note(" in seq"), leaf("x"), { kind: "map", items: [{ kind: "entry", key: "c", value: leaf("3") }] }, { kind: "seq", items: [leaf("y"), note(" deep")] }],
        },
      },
    ],
  },
  { kind: "map", items: [{ kind: "entry", key: "z", value: leaf("4") }, note(" end")] },
];

type Visit = [string, string, string[], string[][]];

describe("walkDocumentParts", () => {
  it("visits as walkDocuments does, with the same AADs, paths and comment stacks", () => {
    const want: Visit[] = [];
    walkDocuments(DOCS, {
      leaf: (l, path, comments, aad) => want.push(["leaf", aad, [...path], comments.map((c) => [...c])]),
      comment: (c, path, comments, aad) => want.push([`comment${c.text}`, aad, [...path], comments.map((x) => [...x])]),
    });
    const got: Visit[] = [];
    walkDocumentParts(DOCS, {
      leaf: (l, path, comments, head, key) => got.push(["leaf", aadText(head, key), [...path], comments.map((c) => [...c])]),
      comment: (c, path, comments, head) => got.push([`comment${c.text}`, head, [...path], comments.map((x) => [...x])]),
    });
    expect(got).toEqual(want);
    expect(got.map((v) => v[1])).toEqual([":", "a:", "ключ:", "ключ:b:", "list:", "list:", "list:c:", "list:", "list:", "z:", ":"]);
  });
});
