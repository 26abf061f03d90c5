import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encTypeOfText, encryptValue } from "../../src/crypto/cipher.js";
import { scanEncBytes, typeOfBytes } from "../../src/crypto/enc-bytes.js";

// The former regex-based check, kept here as the reference the character scan must match exactly.
const ENC_SHAPE = /^ENC\[AES256_GCM,data:[A-Za-z0-9+/]+={0,2},iv:[A-Za-z0-9+/]+={0,2},tag:[A-Za-z0-9+/]{21}[AQgw]==,type:[a-z_]+\]\s*$/;
function canonical(text: string, from: number, to: number): boolean {
  if ((to - from) % 4 !== 0) return false;
  if (text.charCodeAt(to - 1) !== 61) return true;
  if (text.charCodeAt(to - 2) === 61) return /[AQgw]/.test(text[to - 3]!);
  return /[AEIMQUYcgkosw048]/.test(text[to - 2]!);
}
function reference(text: string): string | undefined {
  if (!ENC_SHAPE.test(text)) return undefined;
  const at0 = "ENC[AES256_GCM,data:".length;
  const dataEnd = text.indexOf(",iv:", at0);
  const ivEnd = text.indexOf(",tag:", dataEnd + 4);
  if (!canonical(text, at0, dataEnd) || !canonical(text, dataEnd + 4, ivEnd)) return undefined;
  const at = text.indexOf(",type:", ivEnd + 5) + 6;
  return text.slice(at, text.indexOf("]", at));
}

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `scanEncBytes` over `text` embedded in a buffer between other bytes. */
function scanBytes(text: string): string | undefined {
  const src = Buffer.from(`AAAA=,]${text}AA==]\n`, "latin1");
  const marks = new Int32Array(4);
  const end = scanEncBytes(src, 7, 7 + text.length, marks, 2);
  if (end < 0) return undefined;
  expect(src.toString("latin1", marks[2]!, marks[2]! + 4)).toBe(",iv:");
  expect(src.toString("latin1", marks[3]!, marks[3]! + 5)).toBe(",tag:");
  return typeOfBytes(src, marks[3]! + 35, end);
}

const ALPHABET = "AQgwEIMUYcks048Zz+/=,:[]]_ab\t\n\r \u00a0\u2028\u3000\ufeff\u180e\u200b-!é";

describe("encTypeOfText (character scan)", () => {
  const key = randomBytes(32);
  const samples = [1, 2, 3, 4, 5, 31, 32, 33].flatMap((n) => ["str", "int", "comment", "datetime_local", "x_y"].map((type) => encryptValue(key, randomBytes(n), "k:", type)));
  samples.push(encryptValue(key, Buffer.from("v"), "k:", "str", randomBytes(12)), encryptValue(key, Buffer.from("v"), "k:", "str", randomBytes(16)));

  it("accepts and rejects exactly what the former regex check did", () => {
    const next = rng(42);
    let accepted = 0;
    const check = (text: string): void => {
      const want = reference(text);
      if (want !== undefined) accepted++;
      expect(encTypeOfText(text), JSON.stringify(text)).toBe(want);
      // The byte check, for ASCII texts, placed between other bytes as in a batch.
      if (/^[\x00-\x7f]*$/.test(text)) expect(scanBytes(text), JSON.stringify(text)).toBe(want);
    };
    for (const good of samples) {
      check(good);
      for (let i = 0; i <= good.length; i++) {
        check(good.slice(0, i));
        check(good.slice(0, i) + good.slice(i + 1));
        for (let r = 0; r < 3; r++) {
          const c = ALPHABET[Math.floor(next() * ALPHABET.length)]!;
          check(good.slice(0, i) + c + good.slice(i + 1));
          check(good.slice(0, i) + c + good.slice(i));
        }
      }
    }
    expect(accepted).toBeGreaterThan(samples.length);
  });

  it("treats every trailing character as the regex's \\s does", () => {
    const good = samples[0]!;
    expect(encTypeOfText(good)).toBe("str");
    for (let c = 0; c < 0x10000; c++) {
      const text = good + String.fromCharCode(c);
      expect(encTypeOfText(text) !== undefined, `U+${c.toString(16)}`).toBe(ENC_SHAPE.test(text));
      if (c < 128) expect(scanBytes(text) !== undefined, `U+${c.toString(16)}`).toBe(ENC_SHAPE.test(text));
    }
  });

  it("checks the padding bits of data and IV", () => {
    const bad = ["ENC[AES256_GCM,data:AB==,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]", "ENC[AES256_GCM,data:AAB=,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]", "ENC[AES256_GCM,data:AA=,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]", "ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAB==,type:str]"];
    for (const text of bad) expect(encTypeOfText(text), text).toBeUndefined();
    expect(encTypeOfText("ENC[AES256_GCM,data:AA==,iv:AAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str] \n")).toBe("str");
  });
});
