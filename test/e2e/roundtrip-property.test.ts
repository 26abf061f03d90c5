import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFormat } from "../../src/formats/registry.js";
import type { FormatName } from "../../src/formats/types.js";
import { descriptorFor } from "../../src/keys/registry.js";
import { createKeyContext } from "../../src/operations/key-context.js";
import { decrypt } from "../../src/operations/decrypt.js";
import { encrypt } from "../../src/operations/encrypt.js";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import type { MapNode, Node } from "../../src/tree/types.js";
import { hermeticEnv } from "../helpers/key-env.js";
import { TEST_KEY_FILE, TEST_RECIPIENT } from "../helpers/cli.js";
import { treeToValues } from "../helpers/tree-values.js";

const SEED = Number(process.env["SOBRE_PROPERTY_SEED"] ?? 7);
const RUNS = process.env["SLOW"] ? 500 : 40;

const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== "sops" && !k.endsWith("_unencrypted"));
const scalar: fc.Arbitrary<Node> = fc.oneof(
  fc.string({ maxLength: 30 }).map((value) => ({ kind: "leaf" as const, value: { type: "str" as const, value } })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ kind: "leaf" as const, value: { type: "int" as const, value } })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)).map((value) => ({ kind: "leaf" as const, value: { type: "float" as const, value } })),
  fc.boolean().map((value) => ({ kind: "leaf" as const, value: { type: "bool" as const, value } })),
);
const { tree } = fc.letrec<{ tree: MapNode; node: Node }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("tree"), fc.array(tie("node"), { maxLength: 4 }).map((items) => ({ kind: "seq" as const, items }))),
  tree: fc.uniqueArray(fc.tuple(key, tie("node")), { maxLength: 5, selector: ([k]) => k }).map((entries) => ({
    kind: "map" as const,
    items: entries.map(([k, value]) => ({ kind: "entry" as const, key: k, value })),
  })),
}));

describe("round trip of random documents (fast-check, seed printed on failure)", () => {
  it("the engine: encrypt → decrypt restores every value and recomputes the same MAC", () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (doc, macOnly) => {
        const original = structuredClone(doc);
        const dataKey = randomBytes(32);
        const mac = encryptTree([doc], { dataKey, selection: {}, macOnlyEncrypted: macOnly });
        expect(decryptTree([doc], { dataKey, selection: {}, macOnlyEncrypted: macOnly })).toBe(mac);
        expect(doc).toEqual(original);
      }),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  });

  for (const format of ["yaml", "json"] as FormatName[]) {
    it(`${format}: text → sobre encrypt → sobre decrypt gives the same values`, async () => {
      const fmt = await loadFormat(format);
      const age = descriptorFor("age")!;
      const keyContext = createKeyContext({ env: hermeticEnv({ SOPS_AGE_KEY_FILE: TEST_KEY_FILE }) });
      await fc.assert(
        fc.asyncProperty(tree, async (doc) => {
          const text = fmt.emit([doc], { file: `t.${format}` });
          const encrypted = await encrypt({ input: text, file: `t.${format}`, inputFormat: format, outputFormat: format, groups: [age.parseRefs(TEST_RECIPIENT)], keyContext });
          const decrypted = await decrypt({ input: encrypted, file: `t.${format}`, inputFormat: format, outputFormat: format, keyContext });
          expect(Buffer.from(decrypted).toString()).toBe(Buffer.from(text).toString());
          const back = await fmt.parse(decrypted, { file: "t", mode: "plain" });
          expect(treeToValues(back[0]!)).toEqual(treeToValues(doc));
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }
});
