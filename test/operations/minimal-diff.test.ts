import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";
import { backdate, cli, makeAgeKeys, project, put, type AgeKey } from "./lifecycle-helpers.js";

const FAKE_EDITOR = resolve(ROOT, "test/cli/fixtures/fake-editor.mjs");
const N = 1000;

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(1);
});

const FORMATS = {
  json: {
    ready: existsSync(join(ROOT, "src/formats/json/index.ts")),
    plain: () => `{\n${Array.from({ length: N }, (_, i) => `\t"key${i}": "value${i}"`).join(",\n")}\n}\n`,
  },
  yaml: {
    ready: existsSync(join(ROOT, "src/formats/yaml/index.ts")),
    plain: () => Array.from({ length: N }, (_, i) => `key${i}: value${i}\n`).join(""),
  },
};

/** Lines that differ, as "name" of the key on that line (files have the same line count). */
function changedKeys(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]).map((line) => line.trim().replace(/^"/, "").split(/["]?:/)[0]!);
}

for (const [ext, fmt] of Object.entries(FORMATS)) {
  describe.skipIf(!fmt.ready)(`minimal diffs in a ${N}-value ${ext} file`, () => {
    async function setup() {
      const { dir, env } = project(keys);
      put(dir, `s.${ext}`, fmt.plain());
      expect((await cli(["encrypt", "-i", "--age", keys[0]!.recipient, `s.${ext}`], { cwd: dir, env })).code).toBe(0);
      const path = join(dir, `s.${ext}`);
      // lastmodified has one-second resolution: re-seal with an old timestamp (same values)
      // so the command under test visibly changes it, without sleeping.
      await backdate(path, ext as "json", keys);
      return { dir, env, path, before: readFileSync(path, "utf8") };
    }

    it("set: one value line, lastmodified and mac change", async () => {
      const s = await setup();
      expect((await cli(["set", `s.${ext}`, '["key500"]', '"changed"'], { cwd: s.dir, env: s.env })).code).toBe(0);
      expect(changedKeys(s.before, readFileSync(s.path, "utf8"))).toEqual(["key500", "lastmodified", "mac"]);
    });

    it("edit: one value line, lastmodified and mac change", async () => {
      const s = await setup();
      const env = { ...s.env, SOPS_EDITOR: `node ${FAKE_EDITOR}`, FAKE_EDITOR_ACTIONS: "replace:value777=>other" };
      const r = await cli(["edit", `s.${ext}`], { cwd: s.dir, env });
      expect(r.stderr).toBe("");
      expect(changedKeys(s.before, readFileSync(s.path, "utf8"))).toEqual(["key777", "lastmodified", "mac"]);
    });

    it("encrypt --reuse-from: re-encrypting an edited plaintext changes only that value", async () => {
      const s = await setup();
      const plain = (await cli(["decrypt", `s.${ext}`], { cwd: s.dir, env: s.env })).stdout;
      writeFileSync(join(s.dir, `new.${ext}`), plain.replace("value42", "forty-two"));
      const r = await cli(["encrypt", "--reuse-from", `s.${ext}`, `new.${ext}`], { cwd: s.dir, env: s.env });
      expect(r.code).toBe(0);
      expect(changedKeys(s.before, r.stdout)).toEqual(["key42", "lastmodified", "mac"]);
    });

    it("rotate changes every value", async () => {
      const s = await setup();
      expect((await cli(["rotate", "-i", `s.${ext}`], { cwd: s.dir, env: s.env })).code).toBe(0);
      expect(changedKeys(s.before, readFileSync(s.path, "utf8")).filter((k) => k.startsWith("key")).length).toBe(N);
    });
  });
}
