import { describe, expect, it } from "vitest";
import { tomlFormat } from "../../../src/formats/toml/index.js";
import { T } from "../../../src/tree/types.js";
import { at, emit, FILE, parse, removeKey } from "./helpers.js";
import { fakeDecrypt, fakeEncrypt } from "./sim.js";

const CARGO = `# Cargo manifest for the demo crate
[package]
name = "demo"          # crate name
version = "0.3.1"
edition = "2021"
authors = ["Ann <ann@example.com>", 'Bob "B" <bob@example.com>']
description = """
A demo crate \\
  that spans lines."""
license-file = 'C:\\licenses\\MIT.txt'

[dependencies]
serde = { version = "1.0", features = ["derive"] }
tokio = { version = "1", features = [
    "rt-multi-thread", # the runtime
    "macros",
] }
regex = "1.10"
# log = "0.4"

[dev-dependencies]
proptest = "1.4"

[profile.release]
lto = true
opt-level = 3
codegen-units = 0x10
debug = 1_000
strip = 1.50

[[bin]]
name = "demo-cli"
path = "src/main.rs"

[[bin]]
name = "demo-server"
path = "src/server.rs"

[target.'cfg(windows)'.dependencies]
winapi = { version = "0.3", features = ["winuser"] }

[package.metadata.release]
released = 1979-05-27 07:32:00Z
date = 1979-05-27
at = 07:32:00.5
local = 1979-05-27T07:32:00
`;

function sopsTable() {
  return T.map([
    T.entry("age", T.seq([T.map([T.entry("enc", T.str("-----BEGIN AGE ENCRYPTED FILE-----\nYWJj\n-----END AGE ENCRYPTED FILE-----\n")), T.entry("recipient", T.str("age1qqq"))])])),
    T.entry("lastmodified", T.str("2024-01-01T00:00:00Z")),
    T.entry("mac", T.str("ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]")),
    T.entry("unencrypted_suffix", T.str("_unencrypted")),
    T.entry("version", T.str("3.13.2")),
  ]);
}

describe("tomlFormat round trip", () => {
  it("writes a realistic Cargo.toml back byte for byte", () => {
    expect(emit(parse(CARGO))).toBe(CARGO);
  });

  it("restores every original spelling when values are decrypted in place", () => {
    const doc = parse(CARGO);
    const saved = fakeEncrypt(doc);
    const encrypted = emit(doc);
    expect(encrypted).toContain('codegen-units = "ENC[AES256_GCM,data:');
    expect(encrypted).toContain("license-file = 'ENC[");
    expect(encrypted).toMatch(/^#ENC\[AES256_GCM,data:c1,type:comment\]\n\[package\]\nname = "ENC\[[^\]]*\]"          #ENC\[/);
    fakeDecrypt(doc, saved);
    expect(emit(doc)).toBe(CARGO);
  });

  it("encrypt → file → decrypt gives the data back and drops the [sops] table cleanly", () => {
    const doc = parse(CARGO);
    const saved = fakeEncrypt(doc);
    doc.items.push(T.entry("sops", sopsTable()));
    tomlFormat.prepare([doc], { file: FILE });
    const encrypted = emit(doc);
    expect(encrypted.slice(encrypted.indexOf("local = ")).replace(/data:\d+/, "data:N")).toBe(
      'local = "ENC[AES256_GCM,data:N,type:x]"\n\n[sops]\nlastmodified = "2024-01-01T00:00:00Z"\n' +
        'mac = "ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]"\nunencrypted_suffix = "_unencrypted"\nversion = "3.13.2"\n\n' +
        '[[sops.age]]\nenc = """\n-----BEGIN AGE ENCRYPTED FILE-----\nYWJj\n-----END AGE ENCRYPTED FILE-----\n"""\nrecipient = "age1qqq"\n',
    );
    const back = parse(encrypted);
    expect(at(back, "sops", "age", 0, "recipient")).toEqual(expect.objectContaining({ value: { type: "str", value: "age1qqq" } }));
    removeKey(back, "sops");
    fakeDecrypt(back, saved);
    const decrypted = emit(back);
    // Number spellings the encrypted file cannot remember are normalised; string kinds travel
    // with the ENC literal; everything else is as written.
    const expected = CARGO.replace("0x10", "16").replace("1_000", "1000").replace("1.50", "1.5")
      .replace("1979-05-27 07:32:00Z", "1979-05-27T07:32:00Z")
      .replace('"""\nA demo crate \\\n  that spans lines."""', '"""\nA demo crate that spans lines."""');
    expect(decrypted).toBe(expected);
  });

  it("keeps CRLF line endings, a BOM and a missing final newline", () => {
    const text = "\uFEFFa = 1\r\n# c\r\n[t]\r\nb = 'x'";
    const doc = parse(text);
    expect(emit(doc)).toBe(text);
    const saved = fakeEncrypt(doc);
    doc.items.push(T.entry("sops", T.map([T.entry("version", T.str("3.13.2"))])));
    const encrypted = emit(doc);
    expect(encrypted).toBe('\uFEFFa = "ENC[AES256_GCM,data:1,type:x]"\r\n#ENC[AES256_GCM,data:c1,type:comment]\r\n[t]\r\nb = \'ENC[AES256_GCM,data:2,type:x]\'\r\n\r\n[sops]\r\nversion = "3.13.2"\r\n');
    const back = parse(encrypted);
    removeKey(back, "sops");
    fakeDecrypt(back, saved);
    expect(emit(back)).toBe("\uFEFFa = 1\r\n# c\r\n[t]\r\nb = 'x'\r\n");
  });

  it("keeps the string kind within a process when the value changes", () => {
    const doc = parse("a = 'lit'\nb = '''\nml lit\n'''\nc = \"\"\"\nml\"\"\"\nd = 'can\\'t'\n".replace("\\'", "\\"));
    (at(doc, "a") as { value: unknown }).value = { type: "str", value: "other" };
    (at(doc, "b") as { value: unknown }).value = { type: "str", value: "two\nlines\n" };
    (at(doc, "c") as { value: unknown }).value = { type: "str", value: 'say """hi"""' };
    (at(doc, "d") as { value: unknown }).value = { type: "str", value: "it's" };
    expect(emit(doc)).toBe("a = 'other'\nb = '''\ntwo\nlines\n'''\nc = \"\"\"\nsay \"\"\\\"hi\"\"\\\"\"\"\"\nd = \"it's\"\n");
  });
});
