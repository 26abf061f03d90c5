import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { independentDecrypt } from "../helpers/independent-reader.js";
import { sobre, TEST_KEY_FILE, TEST_RECIPIENT } from "../helpers/cli.js";

const KEY_ENV = { SOPS_AGE_KEY_FILE: TEST_KEY_FILE };
const SECRET = "hunter2-marker-secret";
const PLAIN_YAML = `# config\napp:\n    user: admin\n    password: '${SECRET}'\n    port: 5432\n    big: 9007199254740993\nlist:\n    - a\n    - true\nnote_unencrypted: hi\n`;
const PLAIN_JSON = `{\n  "name": "x",\n  "secret": "${SECRET}",\n  "n": 9007199254740993,\n  "f": 1.5,\n  "nested": {"list": [1, "two", null]}\n}\n`;

let dir: string;
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Every error: one `sobre:` line (plus causes and hint), no stack, no plaintext. */
function expectCleanError(stderr: string): void {
  expect(stderr).toMatch(/^sobre: /);
  expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(stderr).not.toContain(SECRET);
  expect(stderr).not.toContain("AGE-SECRET-KEY");
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sobre-cli-"));
});

describe("sobre encrypt / decrypt", () => {
  it("round-trips YAML byte for byte, with values encrypted and the suffix left clear", () => {
    const plain = file("app.yaml", PLAIN_YAML);
    const enc = sobre(["encrypt", "--age", TEST_RECIPIENT, plain]);
    expect(enc.status, enc.stderr).toBe(0);
    expect(enc.stdout).not.toContain(SECRET);
    expect(enc.stdout).toContain("note_unencrypted: hi");
    expect(enc.stdout).toMatch(/big: ENC\[AES256_GCM,data:[^\]]+type:int\]/);
    const encFile = file("app.enc.yaml", enc.stdout);
    const dec = sobre(["decrypt", encFile], { env: KEY_ENV });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout).toBe(PLAIN_YAML);
  });

  it("round-trips JSON with 64-bit integers exact, and an independent reader agrees", async () => {
    const enc = sobre(["encrypt", "--age", TEST_RECIPIENT, file("a.json", PLAIN_JSON)]);
    expect(enc.status, enc.stderr).toBe(0);
    const encFile = file("a.enc.json", enc.stdout);
    expect(sobre(["decrypt", encFile], { env: KEY_ENV }).stdout).toBe(PLAIN_JSON);
    const values = await independentDecrypt(enc.stdout, "json", readFileSync(TEST_KEY_FILE, "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY"))!);
    expect(values).toEqual({ name: "x", secret: SECRET, n: 9007199254740993n, f: 1.5, nested: { list: [1n, "two", null] } });
  });

  it("supports the legacy -e/-d forms, stdin, --extract and --output-type", () => {
    const enc = sobre(["-e", "--age", TEST_RECIPIENT, "--input-type", "yaml"], { input: PLAIN_YAML });
    expect(enc.status, enc.stderr).toBe(0);
    const encFile = file("stdin.enc.yaml", enc.stdout);
    expect(sobre(["-d", "--extract", '["app"]["password"]', encFile], { env: KEY_ENV }).stdout).toBe(SECRET);
    const asJson = sobre(["-d", "--output-type", "json", encFile], { env: KEY_ENV });
    expect(JSON.parse(asJson.stdout)).toMatchObject({ app: { user: "admin", port: 5432 } });
  });

  it("encrypts in place atomically, keeping the file mode, and decrypts --output to a 0600 file", () => {
    const plain = file("inplace.yaml", PLAIN_YAML);
    chmodSync(plain, 0o640);
    const r = sobre(["encrypt", "-i", "--age", TEST_RECIPIENT, plain]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(plain).mode & 0o777).toBe(0o640);
    expect(readFileSync(plain, "utf8")).toContain("sops:");
    expect(readdirSync(dir).filter((n) => n.includes("sobre-tmp"))).toEqual([]);
    const out = join(dir, "out.yaml");
    expect(sobre(["decrypt", "--output", out, plain], { env: KEY_ENV }).status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, "utf8")).toBe(PLAIN_YAML);
  });

  it("prints --version and --help for every command", () => {
    expect(sobre(["--version"]).stdout).toMatch(/^sobre \d+\.\d+\.\d+/);
    for (const cmd of ["encrypt", "decrypt", "edit", "set", "rotate", "updatekeys", "exec-env", "keys", "age-keygen"]) {
      const h = sobre([cmd, "--help"]);
      expect(h.status, cmd).toBe(0);
      expect(h.stdout, cmd).toMatch(/^usage: sobre/);
    }
  });
});

describe("bad input: one clean line, SOPS's exit code, nothing leaked", () => {
  let encrypted: string;
  beforeAll(() => {
    encrypted = sobre(["encrypt", "--age", TEST_RECIPIENT, file("base.yaml", PLAIN_YAML)]).stdout;
  });

  const cases: [string, () => string[], number, RegExp][] = [
    ["already encrypted", () => ["encrypt", "--age", TEST_RECIPIENT, file("again.yaml", encrypted)], 203, /already encrypted/],
    ["plain file to decrypt", () => ["decrypt", file("plain.yaml", PLAIN_YAML)], 1, /sops metadata not found/],
    ["missing file", () => ["decrypt", join(dir, "nope.yaml")], 100, /no such file/],
    ["invalid YAML with line:column", () => ["encrypt", "--age", TEST_RECIPIENT, file("bad.yaml", `a: 1\nb: [${SECRET}\n`)], 2, /bad\.yaml:\d+:\d+/],
    ["invalid JSON with line:column", () => ["encrypt", "--age", TEST_RECIPIENT, file("bad.json", `{"a": "${SECRET}",}`)], 2, /bad\.json:1:\d+/],
    ["tampered value", () => ["decrypt", file("t1.yaml", encrypted.replace(/(password: 'ENC\[AES256_GCM,data:)(.)/, (_, p: string, c: string) => p + (c === "A" ? "B" : "A")))], 25, /failed authentication/],
    ["malformed ENC", () => ["decrypt", file("t2.yaml", encrypted.replace(/user: ENC\[AES256_GCM,data:[^,]*/, "user: ENC[AES256_GCM,data:!!"))], 25, /malformed/],
    ["missing MAC", () => ["decrypt", file("t3.yaml", encrypted.replace(/    mac: .*\n/, ""))], 51, /no MAC/],
    ["MAC mismatch (unencrypted value edited)", () => ["decrypt", file("t4.yaml", encrypted.replace("note_unencrypted: hi", "note_unencrypted: ho"))], 51, /MAC mismatch/],
    ["truncated file", () => ["decrypt", file("t5.yaml", encrypted.slice(0, Math.floor(encrypted.length / 2)))], 1, /./],
    ["wrong key", () => ["decrypt", file("t6.yaml", encrypted)], 128, /no key could decrypt/],
    ["invalid regex", () => ["encrypt", "--age", TEST_RECIPIENT, "--encrypted-regex", "(", file("r.yaml", PLAIN_YAML)], 1, /invalid encrypted_regex/],
    ["two selection options", () => ["encrypt", "--age", TEST_RECIPIENT, "--encrypted-suffix", "_x", "--unencrypted-suffix", "_y", file("r2.yaml", PLAIN_YAML)], 1, /only one of/],
    ["unknown input type", () => ["decrypt", "--input-type", "xml", file("x.yaml", encrypted)], 1, /unknown --input-type/],
    ["no recipients", () => ["encrypt", file("nr.yaml", PLAIN_YAML)], 111, /no recipients/],
  ];

  for (const [name, args, code, message] of cases) {
    it(`${name} → exit ${code}`, () => {
      const wrongKey = name === "wrong key";
      const r = sobre(args(), { env: wrongKey ? {} : KEY_ENV, cwd: dir });
      if (name === "truncated file") expect([1, 2, 25, 51, 128]).toContain(r.status);
      else expect(r.status, r.stderr).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/hint: /);
      expectCleanError(r.stderr);
      expect(r.stdout).not.toContain(SECRET);
    });
  }

  it("a failed in-place encrypt leaves the original untouched", () => {
    const path = file("keep.yaml", `a: [unclosed\n`);
    const r = sobre(["encrypt", "-i", "--age", TEST_RECIPIENT, path]);
    expect(r.status).toBe(2);
    expect(readFileSync(path, "utf8")).toBe("a: [unclosed\n");
  });
});
