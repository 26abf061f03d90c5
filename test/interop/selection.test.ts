/**
 * Every selection option, both directions: the two tools must encrypt exactly the same
 * leaves, record the option identically in the metadata, and read each other's files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { crossCheck, type InteropFormat } from "./cross.js";
import { leafStates, sopsMetadata } from "./inspect.js";
import { missingPeers } from "./peers.js";
import { ageTestKey, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("selection options", ["sops"]);

const YAML = `public: hello
port: 8080
password: hunter2
token_secret: abc
name_plain: visible
nested:
    password: inner
    host: db.example.com
    host_plain: clear
list:
    - item
# sops:plain
commented_clear: yes-clear
# sops:enc
commented_enc: enc-me
other: value
`;

const JSON_DOC = `{"public": "hello", "port": 8080, "password": "hunter2", "token_secret": "abc", "name_plain": "visible", "nested": {"password": "inner", "host": "db.example.com", "host_plain": "clear"}, "list": ["item"], "other": "value"}\n`;

const DOTENV = `public=hello
password=hunter2
token_secret=abc
name_plain=visible
# sops:plain
commented_clear=yes
# sops:enc
commented_enc=enc-me
other=value
`;

interface Case {
  name: string;
  args: string[];
  /** Metadata field the option is recorded in, and its value. */
  meta: [string, unknown];
  formats: InteropFormat[];
}

const CASES: Case[] = [
  { name: "--unencrypted-suffix", args: ["--unencrypted-suffix", "_plain"], meta: ["unencrypted_suffix", "_plain"], formats: ["yaml", "json", "dotenv"] },
  { name: "--encrypted-suffix", args: ["--encrypted-suffix", "_secret"], meta: ["encrypted_suffix", "_secret"], formats: ["yaml", "json", "dotenv"] },
  { name: "--unencrypted-regex", args: ["--unencrypted-regex", "^(public|port|host)$"], meta: ["unencrypted_regex", "^(public|port|host)$"], formats: ["yaml", "json"] },
  { name: "--encrypted-regex", args: ["--encrypted-regex", "^(password|token)"], meta: ["encrypted_regex", "^(password|token)"], formats: ["yaml", "json", "dotenv"] },
  { name: "--unencrypted-comment-regex", args: ["--unencrypted-comment-regex", "sops:plain"], meta: ["unencrypted_comment_regex", "sops:plain"], formats: ["yaml", "dotenv"] },
  { name: "--encrypted-comment-regex", args: ["--encrypted-comment-regex", "sops:enc"], meta: ["encrypted_comment_regex", "sops:enc"], formats: ["yaml", "dotenv"] },
  { name: "--mac-only-encrypted (with --encrypted-regex)", args: ["--mac-only-encrypted", "--encrypted-regex", "^password$"], meta: ["mac_only_encrypted", true], formats: ["yaml", "json"] },
];

const DOCS: Partial<Record<InteropFormat, string>> = { yaml: YAML, json: JSON_DOC, dotenv: DOTENV };

describe.skipIf(skip)("selection options, sobre ↔ sops", () => {
  let ws: Workspace;
  let key: AgeKey;
  beforeAll(() => {
    ws = new Workspace();
    key = ageTestKey();
  });
  afterAll(() => ws?.dispose());

  for (const c of CASES) {
    for (const format of c.formats) {
      it(`${c.name} (${format})`, async () => {
        const r = await crossCheck({
          ws,
          id: `sel-${c.meta[0]}-${format}`,
          format,
          plaintext: DOCS[format]!,
          encryptArgs: ["--age", key.recipient, ...c.args],
          encEnv: ws.env(),
          decEnv: ws.keyEnv([key], false),
        });
        const bySobre = leafStates(format, r.sobreFile);
        const bySops = leafStates(format, r.sopsFile);
        expect(bySobre, "the same leaves are encrypted").toEqual(bySops);
        expect(Object.values(bySops)).toContain("enc");
        expect(Object.values(bySops)).toContain("clear");
        const metaSobre = sopsMetadata(format, r.sobreFile);
        const metaSops = sopsMetadata(format, r.sopsFile);
        const [field, value] = c.meta;
        const asText = (v: unknown): string => String(v);
        expect(asText(metaSops[field])).toBe(asText(value));
        expect(asText(metaSobre[field])).toBe(asText(metaSops[field]));
        countCase("sobre→sops");
        countCase("sops→sobre");
      });
    }
  }
});
