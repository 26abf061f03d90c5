import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decrypt } from "../../../src/operations/decrypt.js";
import { encrypt } from "../../../src/operations/encrypt.js";
import { createKeyContext } from "../../../src/operations/key-context.js";
import { loadFormat } from "../../../src/formats/registry.js";
import type { Format, FormatName } from "../../../src/formats/types.js";
import { descriptorFor } from "../../../src/keys/registry.js";
import type { KeyContext } from "../../../src/keys/types.js";
import { ROOT } from "../../helpers/paths.js";
import { MARKER } from "./fuzz.js";

/** The bundled TEST-ONLY age identity and its recipient. */
export const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
export const AGE_RECIPIENT = readFileSync(AGE_KEY_FILE, "utf8").match(/age1[0-9a-z]+/)![0];

/** Small valid plaintext files with the marker secret planted in values and comments. */
export const SAMPLES: Record<FormatName, string> = {
  yaml: `# top comment\nname: ${MARKER}\nport: 8080\nratio: 0.5\nenabled: true\nnested:\n  # inner ${MARKER}\n  token: "${MARKER}-2"\n  list:\n    - one\n    - 2\n    - {k: v}\nempty: ""\nnothing: null\n`,
  json: `{\n  "name": "${MARKER}",\n  "port": 8080,\n  "ratio": 0.5,\n  "enabled": true,\n  "nested": {"token": "${MARKER}-2", "list": ["one", 2, {"k": "v"}]},\n  "empty": "",\n  "nothing": null\n}\n`,
  toml: `# top\nname = "${MARKER}"\nport = 8080\nratio = 0.5\nenabled = true\n\n[nested]\ntoken = "${MARKER}-2"\nlist = ["one", "two"]\n\n[[items]]\nk = "v"\n`,
  dotenv: `# comment\nNAME=${MARKER}\nPORT=8080\nTOKEN=${MARKER}-2\nEMPTY=\n`,
  ini: `; comment\n[main]\nname = ${MARKER}\nport = 8080\n\n[other]\ntoken = ${MARKER}-2\n`,
  binary: `-----BEGIN FAKE-----\n${MARKER}\n\u0000\u0001binary bytes\n`,
};

/** A hermetic key context that can decrypt with the TEST-ONLY age key. */
export function ageContext(): KeyContext {
  return createKeyContext({ env: { SOPS_AGE_KEY_FILE: AGE_KEY_FILE, HOME: "/nonexistent-sobre-home" }, cwd: "/" });
}

/** Formats whose module exists yet (others are still being written). */
export async function availableFormats(): Promise<Map<FormatName, Format>> {
  const out = new Map<FormatName, Format>();
  for (const name of ["yaml", "json", "toml", "dotenv", "ini", "binary"] as FormatName[]) {
    try {
      out.set(name, await loadFormat(name));
    } catch {
      // not landed yet
    }
  }
  return out;
}

/** Encrypt `text` as `format` to the TEST-ONLY age key. */
export async function encryptText(format: FormatName, text: string, ctx = ageContext()): Promise<Uint8Array> {
  return encrypt({
    input: Buffer.from(text),
    file: `sample.${format}`,
    inputFormat: format,
    outputFormat: format,
    groups: [descriptorFor("age")!.parseRefs(AGE_RECIPIENT)],
    keyContext: ctx,
  });
}

/** Decrypt bytes as `format`, same format out. */
export async function decryptBytes(format: FormatName, input: Uint8Array, ctx = ageContext()): Promise<Uint8Array> {
  return decrypt({ input, file: `sample.${format}`, inputFormat: format, outputFormat: format, keyContext: ctx });
}
