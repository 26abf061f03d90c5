/**
 * `decrypt` of a dotenv file takes the streaming path when it can; whatever it cannot
 * take (a tampered MAC or value, --extract, another output format) ends exactly as the
 * tree path ends.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { descriptorFor } from "../../src/keys/registry.js";
import { encrypt } from "../../src/operations/encrypt.js";
import { decrypt, type DecryptOptions } from "../../src/operations/decrypt.js";
import { openEncryptedFile } from "../../src/operations/open-file.js";
import { parsePath } from "../../src/tree/paths.js";
import { testKeyContext } from "../fakes/key-context.js";
import { makeAgeKeys, type AgeKey } from "./lifecycle-helpers.js";

let keys: AgeKey[];
beforeAll(async () => {
  keys = await makeAgeKeys(1);
});
const ctx = () => testKeyContext({ SOPS_AGE_KEY: keys[0]!.identity });
const PLAIN = "# head\nA=1\nB=multi\\nline\n\nC_unencrypted=clear\nD=\n#tail\n";

async function encrypted(): Promise<string> {
  const out = await encrypt({ input: Buffer.from(PLAIN), file: "s.env", inputFormat: "dotenv", outputFormat: "dotenv", groups: [descriptorFor("age")!.parseRefs(keys[0]!.recipient)], keyContext: ctx() });
  return Buffer.from(out).toString("utf8");
}

const run = async (text: string, extra: Partial<DecryptOptions> = {}): Promise<string> =>
  Buffer.from(await decrypt({ input: Buffer.from(text), file: "s.env", inputFormat: "dotenv", outputFormat: "dotenv", keyContext: ctx(), ...extra })).toString("utf8");

/** What the tree path says about the same file (its error message, or its tree's values). */
async function treeError(text: string): Promise<string> {
  try {
    await openEncryptedFile({ input: Buffer.from(text), file: "s.env", format: "dotenv", keyContext: ctx(), rememberIvs: false });
    return "no error";
  } catch (err) {
    return String(err);
  }
}

describe("decrypt (dotenv, streaming)", () => {
  it("gives the plaintext back", async () => {
    expect(await run(await encrypted())).toBe(PLAIN);
  });

  it("a MAC mismatch, a tampered or an unencrypted value fail as in the tree path; --ignore-mac still decrypts", async () => {
    const text = await encrypted();
    const badMac = text.replace(/^sops_mac=ENC\[AES256_GCM,data:./m, (m) => m.slice(0, -1) + (m.endsWith("A") ? "B" : "A"));
    expect(badMac).not.toBe(text);
    const macError = await treeError(badMac);
    expect(macError).toMatch(/MAC/);
    await expect(run(badMac)).rejects.toThrow(macError.replace(/^\w+: /, ""));
    expect(await run(badMac, { ignoreMac: true })).toBe(PLAIN);
    const unencrypted = text.replace(/^A=ENC\[[^\n]*/m, "A=1");
    const error = await treeError(unencrypted);
    expect(error).toMatch(/value at "A" is not encrypted/);
    await expect(run(unencrypted)).rejects.toThrow(error.replace(/^\w+: /, ""));
  });

  it("--extract and other output formats take the tree path", async () => {
    const text = await encrypted();
    expect(await run(text, { extract: parsePath('["B"]') })).toBe("multi\nline");
    expect(JSON.parse(await run(text, { outputFormat: "json" }))).toMatchObject({ A: "1", B: "multi\nline" });
  });
});
