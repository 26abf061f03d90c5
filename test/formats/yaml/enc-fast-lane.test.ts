// The parser reads one-line `ENC[…]` values after `key:` / `-` on a fast lane (no
// recursion into the general node parser). Differential check: the same document with
// `ENC[` spelled `FNC[` takes the general path for every value, so both parses must give
// the same tree, comments (and where they land), and the same patched output after
// every value is replaced.
import { describe, expect, it } from "vitest";
import type { MapNode, Node } from "../../../src/tree/types.js";
import { emit, parse, toOracle, walk } from "./helpers.js";

const E = (n: number): string => `ENC[AES256_GCM,data:QUJD${n},iv:aXY=,tag:dGFn,type:str]`;

function swapPrefix(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x).replaceAll("FNC[AES256_GCM,", "ENC[AES256_GCM,"));
}

/**
 * Replace every leaf by a numbered string (every other one multi-line, which re-renders
 * as a block scalar placed by the leaf's layout) and every comment by a numbered text.
 */
function emitReplaced(docs: MapNode[]): string {
  let n = 0;
  for (const d of docs) {
    walk(
      d as Node,
      (l) => {
        if (l.value.type === "str") l.value = { type: "str", value: n % 2 === 0 ? `v${n++}` : `v${n++}\nnext` };
      },
      (c) => {
        (c as { text: string }).text = ` c${n++}`;
      },
    );
  }
  return emit(docs);
}

async function same(text: string): Promise<void> {
  const fast = await parse(text);
  const general = await parse(text.replaceAll("ENC[AES256_GCM,", "FNC[AES256_GCM,"));
  expect(fast.map((d) => toOracle(d))).toEqual(swapPrefix(general.map((d) => toOracle(d))));
  // Unchanged trees give the input back byte for byte.
  expect(emit(fast)).toBe(text);
  expect(emitReplaced(fast)).toBe(emitReplaced(general));
}

describe("ENC values on the fast lane", () => {
  it("match the general parse in mappings and sequences", async () => {
    await same(`a: ${E(1)}\nb: "${E(2)}"\nl:\n  - ${E(3)}\n  - "${E(4)}"\nm:\n  k: ${E(5)}\n`);
  });

  it("keep line comments, foot and head comments where the general path puts them", async () => {
    await same(
      [
        `#${E(0)}`,
        `a: ${E(1)} # inline`,
        `# head of b`,
        `b: "${E(2)}"   # after quotes`,
        `l:`,
        `  - ${E(3)} # on item`,
        `  # between items`,
        `  - ${E(4)}`,
        `# foot at top`,
        `m:`,
        `  #${E(5)}`,
        `  k: ${E(6)}`,
        `  # foot of m`,
        ``,
        `n: ${E(7)}`,
        ``,
      ].join("\n"),
    );
  });

  it("keep the layout of a four-space file (block scalars replacing items)", async () => {
    await same(`a:\n    l:\n        - ${E(1)}\n        - ${E(2)}\n    k: ${E(3)}\n    m:\n    - ${E(4)}\n    - ${E(5)}\n`);
  });

  it("handle compact and nested sequences and mappings in items", async () => {
    await same(`l:\n- ${E(1)}\n- - ${E(2)}\n  - ${E(3)}\n- k: ${E(4)}\n  j: ${E(5)}\n`);
  });

  it("leave a continued plain scalar to the general path", async () => {
    const [doc] = await parse(`a: ${E(1)}\n  more\nb: ${E(2)}\n`);
    expect(toOracle(doc!)).toEqual({ map: [{ key: "a", value: { str: `${E(1)} more` } }, { key: "b", value: { str: E(2) } }] });
  });

  it("handle CRLF files, document markers and a missing final line break", async () => {
    await same(`a: ${E(1)}\r\nl:\r\n  - ${E(2)}\r\n`);
    await same(`---\na: ${E(1)}\n...\n---\nb: ${E(2)}`);
  });
});

// Own-line comments after a line break take a shortcut when they form one head chunk
// (see CommentEngine.headComments); every other shape goes through chunkComments. The
// expected trees are what the general code gives.
describe("own-line comments", () => {
  const cases: [string, unknown][] = [
    ["a:\n  #c1\n  k: v\n", { map: [{ key: "a", value: { map: [{ comment: "c1", inline: false }, { key: "k", value: { str: "v" } }] } }] }],
    [
      "a:\n  #c1\n  #c2\n  k: v\n",
      { map: [{ key: "a", value: { map: [{ comment: "c1", inline: false }, { comment: "c2", inline: false }, { key: "k", value: { str: "v" } }] } }] },
    ],
    ["a:\n  k: v\n  # c\nb: x\n", { map: [{ key: "a", value: { map: [{ key: "k", value: { str: "v" } }, { comment: " c", inline: false }] } }, { key: "b", value: { str: "x" } }] }],
    ["a:\n  k:\n  # c\nb: x\n", { map: [{ key: "a", value: { map: [{ key: "k", value: { null: true } }, { comment: " c", inline: false }] } }, { key: "b", value: { str: "x" } }] }],
    [
      "a:\n  k: v\n    # deeper\n  # back\nb: x\n",
      {
        map: [
          { key: "a", value: { map: [{ key: "k", value: { str: "v" } }, { comment: " deeper", inline: false }, { comment: " back", inline: false }] } },
          { key: "b", value: { str: "x" } },
        ],
      },
    ],
    [
      "a:\n  b:\n    k: v\n    # c1\n  # c2\n  j: w\n",
      {
        map: [
          {
            key: "a",
            value: { map: [{ key: "b", value: { map: [{ key: "k", value: { str: "v" } }, { comment: " c1", inline: false }] } }, { comment: " c2", inline: false }, { key: "j", value: { str: "w" } }] },
          },
        ],
      },
    ],
    [
      // c2 left of the open block ends c1's chunk: c1 becomes a foot of `k:`, which go-yaml hands on.
      "a:\n  b:\n    k:\n      # c1\n  # c2\n      x: y\n",
      {
        map: [
          {
            key: "a",
            value: {
              map: [{ key: "b", value: { map: [{ key: "k", value: { map: [{ comment: " c2", inline: false }, { key: "x", value: { str: "y" } }, { comment: " c1", inline: false }] } }] } }],
            },
          },
        ],
      },
    ],
    ["a:\n  - v\n  # c\n  - w\n", { map: [{ key: "a", value: { seq: [{ str: "v" }, { comment: " c", inline: false }, { str: "w" }] } }] }],
    ["a:\n  k: v\n# c\n---\nb: x\n", { map: [{ key: "a", value: { map: [{ key: "k", value: { str: "v" } }] } }, { comment: " c", inline: false }] }],
  ];
  it.each(cases)("%j lands where go-yaml puts it", async (text, tree) => {
    const docs = await parse(text);
    expect(toOracle(docs[0]!)).toEqual(tree);
    expect(emit(docs)).toBe(text);
  });
});
