import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptParsed, encryptValue, parseEnc } from "../../src/crypto/cipher.js";

describe("value cipher", () => {
  const key = randomBytes(32);

  it("writes SOPS's ENC syntax with a 32-byte IV and 16-byte tag", () => {
    const enc = encryptValue(key, Buffer.from("hello"), "a:b:", "str");
    expect(enc).toMatch(/^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]+,iv:[A-Za-z0-9+/=]{44},tag:[A-Za-z0-9+/=]{24},type:str\]$/);
    const parsed = parseEnc(enc)!;
    expect(parsed.iv.length).toBe(32);
    expect(decryptParsed(key, parsed, "a:b:").toString()).toBe("hello");
  });

  it("binds the value to its path (AAD) and key", () => {
    const parsed = parseEnc(encryptValue(key, Buffer.from("x"), "a:", "str"))!;
    expect(() => decryptParsed(key, parsed, "b:")).toThrow();
    expect(() => decryptParsed(randomBytes(32), parsed, "a:")).toThrow();
  });

  it("reproduces the same ciphertext for the same IV (minimal diffs)", () => {
    const iv = randomBytes(32);
    expect(encryptValue(key, Buffer.from("v"), "k:", "str", iv)).toBe(encryptValue(key, Buffer.from("v"), "k:", "str", iv));
  });

  it("rejects malformed ENC strings", () => {
    const good = encryptValue(key, Buffer.from("v"), "k:", "str");
    expect(parseEnc(good.replace("type:str", "type:"))).toBeUndefined();
    expect(parseEnc(good.replace(/tag:[^,]+/, "tag:AAAA"))).toBeUndefined();
    expect(parseEnc(good.replace(/data:[^,]+/, "data:!!!"))).toBeUndefined();
    expect(parseEnc(good.slice(0, -1))).toBeUndefined();
    expect(parseEnc("ENC[AES256_GCM,data:,iv:,tag:,type:str]")).toBeUndefined();
  });
});
