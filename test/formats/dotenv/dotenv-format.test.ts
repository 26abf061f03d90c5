import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { dotenvFormat } from "../../../src/formats/dotenv/index.js";
import { T, type Leaf, type MapNode, type Node } from "../../../src/tree/types.js";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import { at, dec, enc, fillFromValues, fixture, interopFixtures, parseOne, roundTrip, val, valuesFile } from "../support/format-test-utils.js";

const GOLDEN = [
  "# Database settings",
  "export DB_HOST=localhost",
  'DB_PASS="p@ss word # not a comment"   # inline note',
  "SINGLE='it is $literal \\n'",
  "",
  "  # indented comment",
  'MULTI="line one',
  'line \\"two\\""',
  "EMPTY=",
  "URL=https://x/?a=1#frag",
  "ESCAPED=a\\nb",
  'BROKEN="never closed',
  "KEY = spaced ",
  "CRLF=value\r",
  "",
  "",
].join("\n");

function keys(doc: MapNode): string[] {
  return doc.items.map((i) => (i.kind === "entry" ? i.key : "#" + i.text));
}

/** Replace every value and comment the way encryption would (a fake ENC). */
function fakeEncrypt(doc: MapNode): void {
  let n = 0;
  for (const item of doc.items) {
    if (item.kind === "comment") item.text = `ENC[AES256_GCM,data:c${n++},type:comment]`;
    else (item.value as Leaf).value = { type: "str", value: `ENC[AES256_GCM,data:v${n++},type:str]` };
  }
  doc.items.push(T.entry("sops", T.map([T.entry("age", T.seq([T.map([T.entry("enc", T.str("-----BEGIN AGE-----\nabc\n-----END AGE-----\n")), T.entry("recipient", T.str("age1x"))])])), T.entry("version", T.str("3.13.2"))])));
}

describe("dotenvFormat.parse", () => {
  it("reads SOPS semantics (quotes are part of the value) plus multi-line quoted values", async () => {
    const doc = await parseOne(dotenvFormat, GOLDEN);
    expect(keys(doc)).toEqual([
      "# Database settings", "export DB_HOST", "DB_PASS", "SINGLE", "# indented comment",
      "MULTI", "EMPTY", "URL", "ESCAPED", "BROKEN", "KEY ", "CRLF",
    ]);
    expect(val(at(doc, "DB_PASS"))).toBe('"p@ss word # not a comment"   # inline note');
    expect(val(at(doc, "SINGLE"))).toBe("'it is $literal \n'");
    expect(val(at(doc, "MULTI"))).toBe('"line one\nline \\"two\\""');
    expect(val(at(doc, "EMPTY"))).toBe("");
    expect(val(at(doc, "URL"))).toBe("https://x/?a=1#frag");
    expect(val(at(doc, "ESCAPED"))).toBe("a\nb");
    expect(val(at(doc, "BROKEN"))).toBe('"never closed');
    expect(val(at(doc, "KEY "))).toBe(" spaced ");
    expect(val(at(doc, "CRLF"))).toBe("value\r");
  });

  it("reads encrypted files literally, as SOPS does", async () => {
    const doc = await parseOne(dotenvFormat, 'A="quoted"\nexport B=\'x\'\n', "encrypted");
    expect(val(at(doc, "A"))).toBe('"quoted"');
    expect(val(at(doc, "export B"))).toBe("'x'");
  });

  it("keeps non-UTF-8 values as bytes", async () => {
    const input = Uint8Array.from([...enc("A=ok\nB="), 0xff, 0x5c, 0x6e, 0x00, 10]);
    const doc = await parseOne(dotenvFormat, input);
    expect(val(at(doc, "A"))).toBe("ok");
    expect((at(doc, "B") as Leaf).value).toEqual({ type: "bytes", value: Uint8Array.from([0xff, 10, 0]) });
    expect(await roundTrip(dotenvFormat, input)).toEqual(input);
  });

  it("unflattens sops_ keys into the sops entry", async () => {
    const doc = await parseOne(dotenvFormat, "A=1\nsops_version=3.13.2\nsops_age__list_0__map_recipient=age1x\nsops_shamir_threshold=2\n", "encrypted");
    expect(keys(doc)).toEqual(["A", "sops"]);
    expect(val(at(doc, "sops", "age", 0, "recipient"))).toBe("age1x");
    expect(val(at(doc, "sops", "shamir_threshold"))).toBe("2");
    // In plain mode the same keys still show the file is already encrypted.
    expect(keys(await parseOne(dotenvFormat, "A=1\nsops_version=3.13.2\n"))).toEqual(["A", "sops"]);
  });

  it("names the line of an invalid entry without echoing it", async () => {
    const error = (await parseOne(dotenvFormat, "A=1\nsecret-without-equals\n", "plain", "app.env").catch((e: unknown) => e)) as FormatError;
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe("app.env:2:1: invalid dotenv line: expected KEY=VALUE or a # comment");
    expect(error.position).toEqual({ line: 2, column: 1 });
    expect(error.hint).toMatch(/KEY=VALUE/);
  });

  it("counts the lines of a multi-line value in error positions", async () => {
    const error = (await parseOne(dotenvFormat, 'A="x\ny\nz"\nbroken\n', "plain", "m.env").catch((e: unknown) => e)) as FormatError;
    expect(error.position).toEqual({ line: 4, column: 1 });
  });
});

describe("dotenvFormat.emit", () => {
  it("rebuilds unchanged lines byte for byte in a file mixing escapes, CR, blanks and invalid UTF-8", async () => {
    const input = Uint8Array.from([
      ...enc("\ufeffA=x\\ny\\\\n\r\n\n  \t\n B=2\n  # c\nexport C='q'\nD=é😀\n"),
      ...[0x45, 0x3d, 0xff, 0x5c, 0x6e, 10],
      ...enc("sops_x=1\n\nF=\"a\nb\"\nG=last"),
    ]);
    const doc = await parseOne(dotenvFormat, input);
    expect(val(at(doc, "\ufeffA"))).toBe("x\ny\\\n\r");
    expect(keys(doc)).toEqual(["\ufeffA", " B", "# c", "export C", "D", "E", "F", "G", "sops"]);
    doc.items = doc.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
    expect(Buffer.from(dotenvFormat.emit([doc], { file: "t" })).toString("latin1")).toBe(
      Buffer.from(input).toString("latin1").replace("sops_x=1\n", ""),
    );
  });

  it("round-trips plain files byte for byte", async () => {
    expect(dec(await roundTrip(dotenvFormat, GOLDEN))).toBe(GOLDEN);
    for (const text of ["", "A=1", "\n\nA=1\n\n", "#c\n\n#d"]) expect(dec(await roundTrip(dotenvFormat, text))).toBe(text);
  });

  it("renders changed values as SOPS does, multi-line values across lines", async () => {
    const doc = await parseOne(dotenvFormat, GOLDEN);
    (at(doc, "DB_PASS") as Leaf).value = { type: "str", value: 'new "pw"\n' };
    (at(doc, "SINGLE") as Leaf).value = { type: "str", value: "it's" };
    (at(doc, "MULTI") as Leaf).value = { type: "str", value: '"a\nb"' };
    (at(doc, "URL") as Leaf).value = { type: "int", value: 5n };
    const out = dec(dotenvFormat.emit([doc], { file: "t" }));
    expect(out).toContain('DB_PASS=new "pw"\\n\n');
    expect(out).toContain("SINGLE=it's\n");
    expect(out).toContain('MULTI="a\nb"\nEMPTY=');
    expect(out).toContain("URL=5\n");
  });

  it("writes encrypted files SOPS can read, and decrypts back to SOPS-style lines", async () => {
    const doc = await parseOne(dotenvFormat, GOLDEN);
    const plainValues = doc.items.map((i) => (i.kind === "entry" ? (i.value as Leaf).value : i.text));
    fakeEncrypt(doc);
    const encrypted = dec(dotenvFormat.emit([doc], { file: "t" }));
    expect(encrypted).toBe(
      [
        "#ENC[AES256_GCM,data:c0,type:comment]",
        "export DB_HOST=ENC[AES256_GCM,data:v1,type:str]",
        "DB_PASS=ENC[AES256_GCM,data:v2,type:str]",
        "SINGLE=ENC[AES256_GCM,data:v3,type:str]",
        "",
        "#ENC[AES256_GCM,data:c4,type:comment]",
        "MULTI=ENC[AES256_GCM,data:v5,type:str]",
        "EMPTY=ENC[AES256_GCM,data:v6,type:str]",
        "URL=ENC[AES256_GCM,data:v7,type:str]",
        "ESCAPED=ENC[AES256_GCM,data:v8,type:str]",
        "BROKEN=ENC[AES256_GCM,data:v9,type:str]",
        "KEY =ENC[AES256_GCM,data:v10,type:str]",
        "CRLF=ENC[AES256_GCM,data:v11,type:str]",
        "",
        "sops_age__list_0__map_enc=-----BEGIN AGE-----\\nabc\\n-----END AGE-----\\n",
        "sops_age__list_0__map_recipient=age1x",
        "sops_version=3.13.2",
        "",
      ].join("\n"),
    );
    const back = await parseOne(dotenvFormat, encrypted, "encrypted");
    expect(val(at(back, "sops", "age", 0, "enc"))).toBe("-----BEGIN AGE-----\nabc\n-----END AGE-----\n");
    back.items.pop();
    back.items.forEach((item, i) => {
      if (item.kind === "entry") (item.value as Leaf).value = plainValues[i] as Leaf["value"];
      else item.text = plainValues[i] as string;
    });
    expect(dec(dotenvFormat.emit([back], { file: "t" }))).toBe(
      [
        "# Database settings",
        "export DB_HOST=localhost",
        'DB_PASS="p@ss word # not a comment"   # inline note',
        "SINGLE='it is $literal \\n'",
        "",
        "# indented comment",
        'MULTI="line one\\nline \\"two\\""',
        "EMPTY=",
        "URL=https://x/?a=1#frag",
        "ESCAPED=a\\nb",
        'BROKEN="never closed',
        "KEY = spaced ",
        "CRLF=value\r",
        "",
        "",
      ].join("\n"),
    );
  });

  it("refuses nested values and reserved keys with a hint", () => {
    const nested = T.map([T.entry("app", T.map([T.entry("k", T.str("v"))]))]);
    expect(() => dotenvFormat.emit([nested], { file: "x.env" })).toThrow(/nested value of key "app"/);
    const err = (() => {
      try {
        dotenvFormat.emit([nested], { file: "x.env" });
      } catch (e) {
        return e as FormatError;
      }
    })();
    expect(err?.hint).toMatch(/yaml or json/);
    const reserved = T.map([T.entry("sops_x", T.str("1")), T.entry("sops", T.map([T.entry("version", T.str("3"))]))]);
    expect(() => dotenvFormat.emit([reserved], { file: "x.env" })).toThrow(/reserved/);
  });

  it("writes fresh trees exactly as SOPS's dotenv store", () => {
    const doc = T.map([T.comment(" c"), T.entry("A", T.str("x\ny")), T.entry("B", T.float(1000)), T.entry("C", T.bool(true))]);
    expect(dec(dotenvFormat.emit([doc], { file: "t" }))).toBe("# c\nA=x\\ny\nB=1000.0\nC=true\n");
  });
});

describe("dotenvFormat.emitValue", () => {
  it("prints strings raw and maps as dotenv", () => {
    expect(dec(dotenvFormat.emitValue(T.str("a\nb"), { file: "t" }))).toBe("a\nb");
    expect(dec(dotenvFormat.emitValue(T.map([T.entry("A", T.str("1"))]), { file: "t" }))).toBe("A=1\n");
    expect(() => dotenvFormat.emitValue(T.seq([]), { file: "t" })).toThrow(FormatError);
  });
});

describe("dotenv interop fixtures", () => {
  const files = interopFixtures(["dotenv"]);

  it("parses every fixture into data keys plus the unflattened sops entry", async () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const [path] of files) {
      const doc = await parseOne(dotenvFormat, fixture(path), "encrypted", path);
      const last = doc.items[doc.items.length - 1]!;
      expect(last.kind === "entry" && last.key, path).toBe("sops");
      expect(doc.items.filter((i) => i.kind === "entry" && i.key.startsWith("sops_")), path).toEqual([]);
      expect(val(at(doc, "sops", "mac")), path).toMatch(/^ENC\[AES256_GCM,data:/);
      expect(val(at(doc, "sops", "lastmodified")), path).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const sops = at(doc, "sops") as MapNode;
      const recipients = sops.items.filter((i) => i.kind === "entry" && (i.key === "age" || i.key === "pgp"));
      expect(recipients.length, path).toBeGreaterThan(0);
      for (const r of recipients) expect(val(at((r as { value: Node }).value, 0, "enc")), path).toMatch(/^-----BEGIN (AGE ENCRYPTED FILE|PGP MESSAGE)-----\n/);
      for (const r of recipients) {
        if ((r as { key: string }).key === "age") expect(val(at((r as { value: Node }).value, 0, "recipient")), path).toMatch(/^age1[0-9a-z]+$/);
      }
      // generated-sops-3.3.1 shares one basic.values.json between .env and .ini: use the plaintext there.
      const plain = path.replace(".enc.", ".plain.");
      const valueKeys = path.startsWith("generated-")
        ? keys(await parseOne(dotenvFormat, fixture(plain), "encrypted"))
        : Object.keys(JSON.parse(readFileSync(valuesFile(path), "utf8")) as object);
      const entryKeys = (ks: string[]): string[] => ks.filter((k) => k !== "sops" && !k.startsWith("#"));
      expect(entryKeys(keys(doc)), path).toEqual(entryKeys(valueKeys));
    }
  });

  it("re-emits SOPS 3.13 files unchanged and decrypts them to SOPS's output", async () => {
    for (const path of ["getsops-sops/functional-tests/format.enc.env", "sopsdeck/hello.multiline.env", "humphd-sops-age/secret.enc.env"]) {
      expect(dec(await roundTrip(dotenvFormat, fixture(path), "encrypted")), path).toBe(dec(fixture(path)));
    }
    const path = "getsops-sops/functional-tests/format.enc.env";
    const doc = await parseOne(dotenvFormat, fixture(path), "encrypted");
    expect(fillFromValues(doc, resolve(INTEROP_FIXTURES, path + ".values.json"))).toBe(true);
    expect(dec(dotenvFormat.emit([doc], { file: path }))).toBe(dec(fixture(path + ".sops-3.13-decrypted.env")));
    const multi = await parseOne(dotenvFormat, fixture("sopsdeck/hello.multiline.env"), "encrypted");
    fillFromValues(multi, resolve(INTEROP_FIXTURES, "sopsdeck/hello.multiline.env.values.json"));
    expect(val(at(multi, "TLS_CERT"))).toContain("\n");
    expect(dec(dotenvFormat.emit([multi], { file: "m" }))).toBe(dec(fixture("sopsdeck/hello.multiline.env.plain")));
  });
});
