import { describe, expect, it } from "vitest";
import { regexToGlobs } from "../../src/git/regex-glob.js";
import { detectFormat, sniffEncrypted } from "../../src/git/sniff.js";

const yaml = "a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n    mac: ENC[…]\n    version: 3.13.2\n";
const json = '{\n\t"a": "ENC[…]",\n\t"sops": {\n\t\t"mac": "ENC[…]"\n\t}\n}\n';
const binary = '{\n\t"data": "ENC[…]",\n\t"sops": {\n\t\t"mac": "ENC[…]", "x": {"data": 1}\n\t}\n}\n';
const dotenv = "A=ENC[…]\nsops_lastmodified=2024-01-01T00:00:00Z\nsops_mac=ENC[…]\n";
const ini = "[app]\nkey = ENC[…]\n\n[sops]\nlastmodified = 2024-01-01T00:00:00Z\nmac = ENC[…]\n";

describe("sniffEncrypted / detectFormat", () => {
  it("recognises each store by content", () => {
    const b = (s: string): Uint8Array => Buffer.from(s);
    expect(sniffEncrypted(b(yaml))).toBe("yaml");
    expect(sniffEncrypted(b(json))).toBe("json");
    expect(sniffEncrypted(b(binary))).toBe("binary");
    expect(sniffEncrypted(b(dotenv))).toBe("dotenv");
    expect(sniffEncrypted(b(ini))).toBe("ini");
    expect(sniffEncrypted(b("a: 1\nb: plain\n"))).toBeUndefined();
    expect(sniffEncrypted(b('{"sops": "just a key"}'))).toBeUndefined();
  });

  it("uses a real extension, else content (git's .merge_file_ temp names)", () => {
    expect(detectFormat(Buffer.from(yaml), "/tmp/.merge_file_AbC123")).toBe("yaml");
    expect(detectFormat(Buffer.from(json), "/tmp/Xy12ab_secrets.yml")).toBe("yaml");
    expect(detectFormat(Buffer.from(binary), "cert.pem")).toBe("binary");
    expect(detectFormat(Buffer.from(binary), "data.json")).toBe("json");
    expect(detectFormat(Buffer.from("plain"), "x.yaml")).toBeUndefined();
  });
});

describe("regexToGlobs", () => {
  it.each([
    ["\\.enc\\.yaml$", ["*.enc.yaml"]],
    [".*\\.sops\\.json$", ["*.sops.json"]],
    ["^secrets/.*\\.ya?ml$", ["secrets/**/*.yaml", "secrets/**/*.yml"]],
    ["(dev|prod)/.*", ["**/dev/**", "**/prod/**"]],
    ["^secrets\\.yaml$", ["/secrets.yaml"]],
    ["\\.env$", ["*.env"]],
  ])("%s", (regex, globs) => expect(regexToGlobs(regex)).toEqual(globs));

  it("gives up on what a glob cannot say", () => {
    for (const r of ["\\d+\\.yaml$", "a{2}", "^.\\.yaml$", "(?i)x"]) expect(regexToGlobs(r)).toBeUndefined();
  });
});
