import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Format, FormatName } from "../../src/formats/types.js";
import { MARKER, expectSobre, fcParams, hostileBytes, mutated } from "./support/fuzz.js";
import { SAMPLES, availableFormats, decryptBytes, encryptText } from "./support/samples.js";

/**
 * Every format reader, fed random bytes, byte-level mutations of valid plaintext and of
 * valid encrypted files, in both modes. A parse either succeeds (and the tree emits
 * again) or fails with a SobreError that does not quote the planted secret. Mutated
 * encrypted files go through the whole decrypt pipeline with the real key.
 */

const NAMES: FormatName[] = ["yaml", "json", "toml", "dotenv", "ini", "binary"];
let formats: Map<FormatName, Format>;
const encrypted = new Map<FormatName, Uint8Array>();

beforeAll(async () => {
  formats = await availableFormats();
  for (const name of formats.keys()) encrypted.set(name, await encryptText(name, SAMPLES[name]));
});

async function parseAndEmit(format: Format, input: Uint8Array, mode: "plain" | "encrypted"): Promise<void> {
  const r = await expectSobre(async () => format.parse(input, { file: `fuzz.${format.name}`, mode }), input);
  if (!r.ok) {
    // A parse error never shows what it read: planted secrets stay out of messages.
    expect(r.error.exitCode).not.toBe(1);
    return;
  }
  await expectSobre(() => format.emit(r.value, { file: `fuzz.${format.name}` }), input);
}

describe.each(NAMES)("%s reader", (name) => {
  const fmt = (): Format => {
    const f = formats.get(name);
    if (!f) throw new Error(`${name} format not available`);
    return f;
  };

  it("random and token-soup bytes: parsed or a SobreError, in both modes", async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes(240), fc.constantFrom("plain" as const, "encrypted" as const), async (bytes, mode) => parseAndEmit(fmt(), bytes, mode)),
      fcParams(400),
    );
  });

  it("mutations of a valid plaintext file", async () => {
    await fc.assert(
      fc.asyncProperty(mutated(new Uint8Array(Buffer.from(SAMPLES[name]))), async (bytes) => parseAndEmit(fmt(), bytes, "plain")),
      fcParams(400),
    );
  });

  it("mutations of a valid encrypted file, decrypted end to end with the real key", async () => {
    const base = encrypted.get(name)!;
    await fc.assert(
      fc.asyncProperty(mutated(base, { marker: false }), async (bytes) => {
        await expectSobre(() => decryptBytes(name, bytes), bytes);
      }),
      fcParams(250),
    );
  });
});

describe("error messages quote no input", () => {
  // A value that breaks the grammar right after a secret: the message may give a
  // position, never the text around it.
  const broken: Record<FormatName, string> = {
    yaml: `a: "${MARKER}\nb: [${MARKER}\n`,
    json: `{"a": "${MARKER}", "b": ${MARKER}}`,
    toml: `a = "${MARKER}\nb = ${MARKER}\n`,
    dotenv: `A="${MARKER}\n${MARKER}\n`,
    ini: `[s\na = ${MARKER}\n[${MARKER}\n`,
    binary: "",
  };
  it.each(NAMES.filter((n) => n !== "binary"))("%s", async (name) => {
    const f = formats.get(name)!;
    const r = await expectSobre(async () => f.parse(Buffer.from(broken[name]), { file: "x", mode: "plain" }), broken[name]);
    expect(r.ok).toBe(false);
  });
});
