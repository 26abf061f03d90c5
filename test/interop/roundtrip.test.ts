/**
 * sobre ↔ sops for every format and key type: each tool decrypts what the other
 * encrypted, byte for byte as `sops -d` prints it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { crossCheck } from "./cross.js";
import { DOCS, FORMATS } from "./documents.js";
import { missingPeers } from "./peers.js";
import { ageKeygen, ageTestKey, PGP_FP, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("roundtrip (formats × key types)", ["sops", "age", "gpg"]);

describe.skipIf(skip)("sobre ↔ sops round trips", () => {
  let ws: Workspace;
  let x25519: AgeKey;
  let pq: AgeKey;

  beforeAll(() => {
    ws = new Workspace();
    ws.importPgpKey();
    x25519 = ageTestKey();
    pq = ageKeygen(true);
  });
  afterAll(() => ws?.dispose());

  const keySets: Record<string, () => { args: string[]; decEnv: () => Record<string, string> }> = {
    "age X25519": () => ({ args: ["--age", x25519.recipient], decEnv: () => ws.keyEnv([x25519], false) }),
    "age post-quantum (age1pq1)": () => ({ args: ["--age", pq.recipient], decEnv: () => ws.keyEnv([pq], false) }),
    PGP: () => ({ args: ["--pgp", PGP_FP], decEnv: () => ws.keyEnv([], true) }),
    "age + PGP in one group": () => ({ args: ["--age", `${x25519.recipient},${pq.recipient}`, "--pgp", PGP_FP], decEnv: () => ws.keyEnv([pq], false) }),
  };

  for (const format of FORMATS) {
    for (const [name, keys] of Object.entries(keySets)) {
      it(`${format} with ${name}`, async () => {
        const k = keys();
        const r = await crossCheck({
          ws,
          id: `${format}-${name.replace(/\W+/g, "-")}`,
          format,
          plaintext: DOCS[format],
          encryptArgs: k.args,
          encEnv: ws.env({ GNUPGHOME: ws.gnupg }),
          decEnv: k.decEnv(),
        });
        // Both files name the same recipients.
        if (name.startsWith("age")) expect(r.sobreFile.toString()).toContain(k.args[1]!.split(",")[0]);
        if (name.includes("PGP")) expect(r.sobreFile.toString()).toContain(PGP_FP);
        expect(r.sobreFile.toString()).not.toContain("hunter2");
        countCase("sobre→sops");
        countCase("sops→sobre");
      });
    }
  }

  it("post-quantum recipients: both tools write the age1pq1 recipient with an mlkem768x25519 stanza", () => {
    for (const file of ["json-age-post-quantum-age1pq1-.by-sobre.json", "json-age-post-quantum-age1pq1-.by-sops.json"]) {
      const sopsBlock = JSON.parse(ws.read(file).toString()).sops as { age: { recipient: string; enc: string }[] };
      expect(sopsBlock.age.map((a) => a.recipient)).toEqual([pq.recipient]);
      const body = sopsBlock.age[0]!.enc.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
      expect(Buffer.from(body, "base64").toString("latin1"), file).toMatch(/^age-encryption\.org\/v1\n-> mlkem768x25519 /);
    }
  });
});
