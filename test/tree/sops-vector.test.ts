import { describe, expect, it } from "vitest";
import { decryptParsed, parseEnc } from "../../src/crypto/cipher.js";
import { IvMemory } from "../../src/tree/cipher-jobs.js";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import { T, type MapNode } from "../../src/tree/types.js";

// Known-answer vector: the SOPS 3.3.1 worked example of the format spec (§10), whose data
// key was recovered from its PGP stanza with the published SOPS test key.
const DATA_KEY = Buffer.from("8c6dcbcdf0a7acfc8adf4f0bcc7edda746c1a9703353ad346ef58458405a3483", "hex");
const MAC_HEX =
  "D8E09D1DD6BB5E195DC3817C2358D496DCEFA07070BE990C5E93F02369740245FBA459DE384B0DFBEB5D8C2C5F32ADB51AB50D25A1B6D862DABCA59C00512336";
const STORED_MAC =
  "ENC[AES256_GCM,data:I12nOOXUSLAglpNQ44qrz5YWfV0PxB1x5kmrS9tzcNHkN8Ap73jkG6nbT+X5ocWWa6g4cPnT/ZhjO14+9lGPgQv5eeqelPkpAB8My4AYZa1Oj2+1S8gg855ohQ2JFZMMrxrCz+rexEIp1Lx+l8BhJu8XOJC1cuj6tPKUq1Ysjko=,iv:YFpA99U+cPfIBnvHaPKvmYjZrbKr1caxuciXZp3SXkk=,tag:6ksRw9AQXtCONiTWOfE8Eg==,type:str]";

function encryptedExample(): MapNode {
  return T.map([
    T.entry(
      "app",
      T.map([
        T.entry("user", T.str("ENC[AES256_GCM,data:I34ImYg=,iv:/xFZjAjFWmHEjlDma5zVrdD2GyIB7PMRIPRHCrRepAI=,tag:jCXGrTAxAj/8r7KPNVv3GQ==,type:str]")),
        T.entry("port", T.str("ENC[AES256_GCM,data:rlGwcA==,iv:fjp39uuvZDGccURQewxJ53Y6n76xtuxB7YNR0aaA/qM=,tag:BD+GIkx1NPSphZkwlrYoGA==,type:int]")),
        T.comment("ENC[AES256_GCM,data:39VKI6c=,iv:XPTZ/NPdAyLJsY8nwegwcdMmSefKPqH4TXRfA8ipA7U=,tag:KgzsR80+jVaOXSUgBuaUPg==,type:comment]"),
      ]),
    ),
    T.entry(
      "tags",
      T.seq([
        T.str("ENC[AES256_GCM,data:7w==,iv:/3/oDUr7iqt8TU+gXXRIuvPYzBJdTo5nRdisLWpm0hU=,tag:JkZrfMRT9ANViweVF//z5A==,type:str]"),
        T.str("ENC[AES256_GCM,data:Doq5xQ==,iv:ZZzF6iZ+T/Z70zgX+ihl398By4EI+5VeQWC2nTomLZ4=,tag:C0BxY2F2A/4qJxIti4+ZYA==,type:bool]"),
      ]),
    ),
    T.entry("ratio", T.str("ENC[AES256_GCM,data:axaG,iv:sYihzuqLJiohyFVbI2OlvXnX8ZfRrMAsDWCs+0MnTsY=,tag:56wzIw9xycMHinzr61dA0w==,type:float]")),
    T.entry("note_unencrypted", T.str("hi")),
  ]);
}

describe("SOPS known-answer vector (spec §10)", () => {
  it("decrypts every value with its path AAD and recomputes SOPS's MAC", () => {
    const doc = encryptedExample();
    const mac = decryptTree([doc], { dataKey: DATA_KEY, selection: { unencryptedSuffix: "_unencrypted" }, macOnlyEncrypted: false });
    expect(mac).toBe(MAC_HEX);
    const app = doc.items[0]!;
    expect(app.kind === "entry" && app.value.kind === "map" && app.value.items.map((i) => (i.kind === "entry" ? i.value : i))).toEqual([
      { kind: "leaf", value: { type: "str", value: "admin" } },
      { kind: "leaf", value: { type: "int", value: 5432n } },
      { kind: "comment", text: " list" },
    ]);
    const stored = decryptParsed(DATA_KEY, parseEnc(STORED_MAC)!, "2026-11-22T12:48:07Z").toString();
    expect(stored).toBe(MAC_HEX);
  });

  it("re-encrypts to identical ciphertext when the IVs are remembered", () => {
    const original = encryptedExample();
    const doc = encryptedExample();
    const ivMemory = new IvMemory();
    decryptTree([doc], { dataKey: DATA_KEY, selection: {}, macOnlyEncrypted: false, ivMemory });
    const mac = encryptTree([doc], { dataKey: DATA_KEY, selection: {}, macOnlyEncrypted: false, ivMemory });
    expect(mac).toBe(MAC_HEX);
    expect(doc).toEqual(original);
  });

  it("detects a value moved to another key (AAD mismatch)", () => {
    const doc = encryptedExample();
    const app = doc.items[0]!;
    if (app.kind !== "entry" || app.value.kind !== "map") throw new Error("shape");
    const [user, port] = app.value.items;
    if (user?.kind !== "entry" || port?.kind !== "entry") throw new Error("shape");
    [user.value, port.value] = [port.value, user.value];
    expect(() => decryptTree([doc], { dataKey: DATA_KEY, selection: {}, macOnlyEncrypted: false })).toThrow(/failed authentication/);
  });
});
