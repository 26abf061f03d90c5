/**
 * A dotenv file whose last line has no newline: the encrypted file must still put every
 * `sops_` line on its own line. (A last comment without a newline once had the first
 * metadata line — the age stanza — glued onto it, leaving a file nobody could decrypt.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sobre, TEST_KEY_FILE, TEST_RECIPIENT } from "../helpers/cli.js";

const KEY_ENV = { SOPS_AGE_KEY_FILE: TEST_KEY_FILE };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sobre-dotenv-eol-"));
});

/** Every line of an encrypted dotenv file is a comment or a single KEY=VALUE. */
function expectOneItemPerLine(text: string): void {
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "" || line.startsWith("#")) expect(line).not.toContain("sops_");
    else expect(line.indexOf("sops_", 1)).toBe(-1);
  }
}

describe.each([
  ["a comment", "A=1\nB=two words\n#last comment", "A=1\nB=two words\n#last comment\n"],
  ["a value", "A=1\n#note\nB=last", "A=1\n#note\nB=last\n"],
])("a dotenv file ending in %s without a newline", (_what, plain, decrypted) => {
  it("encrypts to a file that sobre decrypts, rotates and edits", () => {
    const name = join(dir, `f${Math.random().toString(36).slice(2)}.env`);
    writeFileSync(name, plain);
    const enc = sobre(["encrypt", "--age", TEST_RECIPIENT, name]);
    expect(enc.status, enc.stderr).toBe(0);
    expectOneItemPerLine(enc.stdout);
    expect(enc.stdout).toMatch(/^sops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----/m);
    writeFileSync(name, enc.stdout);

    const dec = sobre(["decrypt", name], { env: KEY_ENV });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout).toBe(decrypted);

    // rotate and set write the file again through the tree emitter.
    expect(sobre(["rotate", "-i", name], { env: KEY_ENV }).status).toBe(0);
    expectOneItemPerLine(readFileSync(name, "utf8"));
    const set = sobre(["set", name, '["A"]', '"2"'], { env: KEY_ENV });
    expect(set.status, set.stderr).toBe(0);
    expectOneItemPerLine(readFileSync(name, "utf8"));
    const again = sobre(["decrypt", name], { env: KEY_ENV });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(decrypted.replace("A=1", "A=2"));
  });
});

it("an edit saved without a final newline after a comment still leaves a decryptable file", () => {
  const name = join(dir, "edited.env");
  writeFileSync(name, "A=1\n");
  const enc = sobre(["encrypt", "--age", TEST_RECIPIENT, "-i", name]);
  expect(enc.status, enc.stderr).toBe(0);
  const editor = join(dir, "editor.mjs");
  writeFileSync(editor, 'import { writeFileSync } from "node:fs";\nwriteFileSync(process.argv[2], "A=3\\n#edited");\n');
  const edit = sobre(["edit", name], { env: { ...KEY_ENV, SOPS_EDITOR: `${process.execPath} ${editor}`, EDITOR: "false" } });
  expect(edit.status, edit.stderr).toBe(0);
  expectOneItemPerLine(readFileSync(name, "utf8"));
  const dec = sobre(["decrypt", name], { env: KEY_ENV });
  expect(dec.status, dec.stderr).toBe(0);
  expect(dec.stdout).toBe("A=3\n#edited\n");
});
