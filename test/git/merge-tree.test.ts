import { describe, expect, it } from "vitest";
import { mergeDocuments, nodesEqual } from "../../src/git/merge-tree.js";
import { T, type MapNode } from "../../src/tree/types.js";

const doc = (items: MapNode["items"]): MapNode => T.map(items);
const keys = (m: MapNode): string[] => m.items.map((i) => (i.kind === "entry" ? i.key : `#${i.text}`));
const value = (m: MapNode, key: string): unknown => {
  const e = m.items.find((i) => i.kind === "entry" && i.key === key);
  return e && e.kind === "entry" && e.value.kind === "leaf" && "value" in e.value.value ? e.value.value.value : e;
};

describe("mergeDocuments", () => {
  const base = () => doc([T.comment(" head"), T.entry("a", T.str("1")), T.entry("b", T.map([T.entry("x", T.int(1)), T.entry("y", T.int(2))])), T.entry("c", T.seq([T.str("p")]))]);

  it("merges changes to different keys, nested included", () => {
    const ours = base();
    (ours.items[1] as { value: unknown }).value = T.str("ours");
    const theirs = base();
    ((theirs.items[2] as { value: MapNode }).value.items[1] as { value: unknown }).value = T.int(20);
    const r = mergeDocuments([base()], [ours], [theirs]);
    expect(r.conflicts).toEqual([]);
    expect(value(r.documents[0]!, "a")).toBe("ours");
    const b = (r.documents[0]!.items.find((i) => i.kind === "entry" && i.key === "b") as { value: MapNode }).value;
    expect(value(b, "y")).toBe(20n);
    expect(keys(r.documents[0]!)).toEqual(["# head", "a", "b", "c"]);
  });

  it("reports the same key changed differently and keeps ours", () => {
    const ours = base();
    (ours.items[1] as { value: unknown }).value = T.str("O");
    const theirs = base();
    (theirs.items[1] as { value: unknown }).value = T.str("T");
    const r = mergeDocuments([base()], [ours], [theirs]);
    expect(r.conflicts).toEqual([["a"]]);
    expect(value(r.documents[0]!, "a")).toBe("O");
  });

  it("identical changes agree; sequences are whole values", () => {
    const ours = base();
    (ours.items[3] as { value: unknown }).value = T.seq([T.str("p"), T.str("q")]);
    const theirs = base();
    (theirs.items[3] as { value: unknown }).value = T.seq([T.str("p"), T.str("q")]);
    expect(mergeDocuments([base()], [ours], [theirs]).conflicts).toEqual([]);
    (theirs.items[3] as { value: unknown }).value = T.seq([T.str("r")]);
    expect(mergeDocuments([base()], [ours], [theirs]).conflicts).toEqual([["c"]]);
  });

  it("deletes a key one side removed and the other left alone; delete vs modify conflicts", () => {
    const ours = base();
    ours.items.splice(1, 1); // ours deleted a
    const r = mergeDocuments([base()], [ours], [base()]);
    expect(keys(r.documents[0]!)).toEqual(["# head", "b", "c"]);
    const theirs = base();
    (theirs.items[1] as { value: unknown }).value = T.str("changed");
    const r2 = mergeDocuments([base()], [ours], [theirs]);
    expect(r2.conflicts).toEqual([["a"]]);
    expect(keys(r2.documents[0]!)).not.toContain("a");
  });

  it("places keys theirs added after their predecessor, with their comments", () => {
    const theirs = base();
    theirs.items.splice(2, 0, T.comment(" new one"), T.entry("new", T.str("n")));
    const r = mergeDocuments([base()], [base()], [theirs]);
    expect(keys(r.documents[0]!)).toEqual(["# head", "a", "# new one", "new", "b", "c"]);
  });

  it("takes comment changes from the side that made them", () => {
    const theirs = base();
    (theirs.items[0] as { text: string }).text = " changed head";
    const ours = base();
    (ours.items[1] as { value: unknown }).value = T.str("ours");
    const r = mergeDocuments([base()], [ours], [theirs]);
    expect(keys(r.documents[0]!)[0]).toBe("# changed head");
    expect(r.conflicts).toEqual([]);
  });

  it("without a base, differing additions conflict and equal ones merge", () => {
    const a = doc([T.entry("k", T.str("1")), T.entry("same", T.bool(true))]);
    const b = doc([T.entry("k", T.str("2")), T.entry("same", T.bool(true))]);
    expect(mergeDocuments(undefined, [a], [b]).conflicts).toEqual([["k"]]);
  });

  it("nodesEqual distinguishes types and compares ints exactly", () => {
    expect(nodesEqual(T.int(1), T.float(1), true)).toBe(false);
    expect(nodesEqual(T.int(2n ** 62n), T.int(2n ** 62n), true)).toBe(true);
    expect(nodesEqual(T.map([T.comment("x")]), T.map([]), false)).toBe(true);
    expect(nodesEqual(T.map([T.comment("x")]), T.map([]), true)).toBe(false);
  });
});
