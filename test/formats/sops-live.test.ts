/**
 * Interop with the real SOPS binary (skipped when ~/go/bin/sops or sops on PATH is
 * missing): SOPS must read what these formats write, and print what they print.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { binaryFormat } from "../../src/formats/binary/index.js";
import { dotenvFormat } from "../../src/formats/dotenv/index.js";
import { iniFormat } from "../../src/formats/ini/index.js";
import { jsonFormat } from "../../src/formats/json/index.js";
import type { Format } from "../../src/formats/types.js";
import { INTEROP_FIXTURES } from "../helpers/paths.js";
import { enc, parseOne, stripSrc } from "./support/format-test-utils.js";

function findSops(): string | undefined {
  const candidates = [join(homedir(), "go/bin/sops"), ...(process.env.PATH ?? "").split(":").map((d) => join(d, "sops"))];
  return candidates.find((c) => existsSync(c));
}

const SOPS = findSops();
const KEY_FILE = resolve(INTEROP_FIXTURES, "sopsdeck/keys/age.txt");
const RECIPIENT = "age1z49kt22ur6rugrulasu98au5fh94pv0jlv8nnmwzf2gge6gjgdqs6k8hf2";
const dir = mkdtempSync(join(tmpdir(), "sobre-fmt-"));

function sops(args: string[]): Buffer {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, "xdg"), SOPS_AGE_KEY_FILE: KEY_FILE };
  return execFileSync(SOPS!, args, { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}

const CASES: Array<[string, Format, string]> = [
  ["a.json", jsonFormat, '{"s": "x<y>&\\u00e9\\u2028", "n": [1, 2.50, 1e21, 1e-7, -0, 9007199254740993, {"a": []}], "m": {}, "t": true, "z": null}\n'],
  ["a.env", dotenvFormat, "# comment\nA=1\nB=two words\n\nexport C=x\\ny\nEMPTY=\n"],
  ["a.ini", iniFormat, "; c\n[s]\nk = v ; inline\nq = \"  padded  \"\nh = `a#b`\n\n[t]\nlonger_key = 1\n"],
  ["a.bin", binaryFormat, "\u0000\u00ff binary\n"],
];

describe.skipIf(!SOPS)("formats against the real sops binary", () => {
  it.each(CASES)("%s: fresh emission equals `sops -d`, and sops reads our re-emitted encrypted file", async (name, format, text) => {
    const plainPath = join(dir, name);
    writeFileSync(plainPath, text);
    const type = name.endsWith(".bin") ? ["--input-type", "binary", "--output-type", "binary"] : [];
    const encrypted = sops(["-e", ...type, "--age", RECIPIENT, plainPath]);
    const decrypted = sops(["-d", ...type, writeTemp(name + ".enc", encrypted)]);
    if (format !== binaryFormat) {
      const tree = stripSrc(await parseOne(format, enc(text)));
      expect(Buffer.from(format.emit([tree], { file: name })).toString(), name).toBe(decrypted.toString());
    } else {
      expect(decrypted).toEqual(Buffer.from(text));
    }
    // Parse SOPS's encrypted output, emit it again (metadata regenerated from the tree): SOPS must decrypt it the same.
    const doc = await parseOne(format, new Uint8Array(encrypted), "encrypted", name);
    const reemitted = format.emit([doc], { file: name });
    const again = sops(["-d", ...type, writeTemp("re-" + name + ".enc", Buffer.from(reemitted))]);
    expect(again.toString("hex"), name).toBe(decrypted.toString("hex"));
  });
});

function writeTemp(name: string, data: Buffer): string {
  const ext = name.replace(/\.enc$/, "").split(".").pop()!;
  const path = join(dir, name.replace(/\.enc$/, "") + ".enc." + ext);
  writeFileSync(path, data);
  return path;
}
