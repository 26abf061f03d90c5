import { beforeAll, describe, expect, it } from "vitest";
import { descriptorFor } from "../../src/keys/registry.js";
import { editFile, type EditOptions } from "../../src/operations/edit.js";
import { encrypt } from "../../src/operations/encrypt.js";
import { decrypt } from "../../src/operations/decrypt.js";
import { SobreError } from "../../src/errors.js";
import { testKeyContext } from "../fakes/key-context.js";
import { makeAgeKeys, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(1);
});

const ctx = () => testKeyContext({ SOPS_AGE_KEY: keys[0]!.identity });

async function encrypted(json: string): Promise<Uint8Array> {
  return encrypt({
    input: Buffer.from(json),
    file: "s.json",
    inputFormat: "json",
    outputFormat: "json",
    groups: [descriptorFor("age")!.parseRefs(keys[0]!.recipient)],
    keyContext: ctx(),
  });
}

/** An editor whose successive saves are `saves`; records what it was shown. */
function scripted(saves: string[]): { shown: string[]; withEditor: EditOptions["withEditor"] } {
  const shown: string[] = [];
  let i = 0;
  return {
    shown,
    withEditor: async (initial, use) => {
      let current = Buffer.from(initial).toString("utf8");
      return use({
        edit: async () => {
          shown.push(current);
          current = saves[Math.min(i++, saves.length - 1)]!;
          return Buffer.from(current);
        },
      });
    },
  };
}

function base(input: Uint8Array | undefined, editor: ReturnType<typeof scripted>, onInvalid: EditOptions["onInvalid"] = async () => false): EditOptions {
  return {
    input,
    file: "s.json",
    format: "json",
    keyContext: ctx(),
    newFile: async () => ({ groups: [descriptorFor("age")!.parseRefs(keys[0]!.recipient)], shamirThreshold: 0, selection: {}, macOnlyEncrypted: false }),
    withEditor: editor.withEditor,
    onInvalid,
  };
}

async function plain(bytes: Uint8Array): Promise<unknown> {
  const out = await decrypt({ input: bytes, file: "s.json", inputFormat: "json", outputFormat: "json", keyContext: ctx() });
  return JSON.parse(Buffer.from(out).toString("utf8"));
}

describe("editFile", () => {
  it("after invalid syntax, reopens the editor while onInvalid says so", async () => {
    const input = await encrypted('{"a": "1"}');
    const editor = scripted(['{"a": ', '{"a": "2"}']);
    const errors: string[] = [];
    const out = await editFile(base(input, editor, async (err) => (errors.push(err.message), true)));
    expect(errors).toHaveLength(1);
    expect(editor.shown).toHaveLength(2);
    // The second round shows what the user saved, so their work is not lost.
    expect(editor.shown[1]).toBe('{"a": ');
    expect(await plain(out)).toEqual({ a: "2" });
  });

  it("gives up when onInvalid declines, with the parse error", async () => {
    const input = await encrypted('{"a": "1"}');
    await expect(editFile(base(input, scripted(["{"])))).rejects.toBeInstanceOf(SobreError);
  });

  it("refuses a top-level sops key in the edited plaintext", async () => {
    const input = await encrypted('{"a": "1"}');
    const seen: string[] = [];
    await expect(editFile(base(input, scripted(['{"a": "1", "sops": {}}']), async (e) => (seen.push(e.message), false)))).rejects.toThrow(/reserved/);
    expect(seen[0]).toMatch(/reserved for the metadata/);
  });

  it("unchanged content is exit 200", async () => {
    const input = await encrypted('{"a": "1"}');
    const editor = scripted([]);
    editor.withEditor = async (initial, use) => use({ edit: async () => initial });
    await expect(editFile(base(input, editor))).rejects.toMatchObject({ exitCode: 200 });
  });

  it("keeps the ciphertext of unchanged values (same data key, same IVs)", async () => {
    const input = await encrypted('{"a": "1", "b": "2", "c": [1, 2]}');
    const out = await editFile(base(input, scripted(['{"a": "1", "b": "3", "c": [1, 2]}'])));
    const enc = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8"));
    const before = enc(input);
    const after = enc(out);
    expect(after.a).toBe(before.a);
    expect(after.c).toEqual(before.c);
    expect(after.b).not.toBe(before.b);
    expect(after.sops.age).toEqual(before.sops.age);
  });

  it("a new file starts from the template and is encrypted for the settings' keys", async () => {
    const editor = scripted(['{"k": "v"}']);
    const out = await editFile(base(undefined, editor));
    expect(editor.shown[0]).toMatch(/Welcome to sobre/);
    expect(await plain(out)).toEqual({ k: "v" });
  });
});
