/**
 * Key groups + Shamir from a `.sops.yaml` creation rule: both tools split the data key
 * across groups, and each opens the other's file with any `shamir_threshold` groups.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { crossCheck, EXT, type CrossResult, type InteropFormat } from "./cross.js";
import { DOCS } from "./documents.js";
import { sopsMetadata } from "./inspect.js";
import { missingPeers } from "./peers.js";
import { sobre, sops } from "./proc.js";
import { ageKeygen, ageTestKey, PGP_FP, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("key groups + Shamir", ["sops", "age", "gpg"]);

describe.skipIf(skip)("key groups and Shamir threshold (.sops.yaml), sobre ↔ sops", () => {
  let ws: Workspace;
  let a: AgeKey, b: AgeKey, c: AgeKey;
  const results = new Map<InteropFormat, CrossResult>();

  beforeAll(() => {
    ws = new Workspace();
    ws.importPgpKey();
    a = ageTestKey();
    b = ageKeygen();
    c = ageKeygen();
    ws.write(
      ".sops.yaml",
      `creation_rules:
  - path_regex: \\.(yaml|json|env|ini|bin)$
    shamir_threshold: 2
    key_groups:
      - age:
          - ${a.recipient}
      - age:
          - ${b.recipient}
        pgp:
          - ${PGP_FP}
      - age:
          - ${c.recipient}
`,
    );
  });
  afterAll(() => ws?.dispose());

  for (const format of ["yaml", "json", "dotenv", "ini", "binary"] as const) {
    it(`${format}: 3 groups, threshold 2, opened with groups 1 and 3 only`, async () => {
      const r = await crossCheck({
        ws,
        id: `groups-${format}`,
        format,
        plaintext: DOCS[format],
        encryptArgs: [],
        encEnv: ws.env({ GNUPGHOME: ws.gnupg }),
        decEnv: ws.keyEnv([a, c], false),
      });
      results.set(format, r);
      if (format === "json" || format === "yaml") {
        type Meta = { shamir_threshold: number; key_groups: Record<string, unknown[]>[] };
        const [bySobre, bySops] = [r.sobreFile, r.sopsFile].map((f) => sopsMetadata(format, f) as Meta);
        for (const meta of [bySobre!, bySops!]) {
          expect(meta.shamir_threshold).toBe(2);
          const used = meta.key_groups.map((g) => Object.keys(g).filter((k) => (g[k] ?? []).length > 0).sort());
          expect(used).toEqual([["age"], ["age", "pgp"], ["age"]]);
        }
        // Same lists in the same order, including SOPS's empty `hc_vault: []` quirk.
        expect(bySobre!.key_groups.map((g) => Object.keys(g))).toEqual(bySops!.key_groups.map((g) => Object.keys(g)));
      }
      countCase("sobre→sops");
      countCase("sops→sobre");
    });
  }

  it("a group opened by PGP alone counts (groups 1 + 2 via gpg)", async () => {
    const r = results.get("json");
    expect(r, "json case ran").toBeDefined();
    const env = ws.keyEnv([a], true);
    const [bySops, bySobre] = await Promise.all([
      sops(["-d", ws.path(`groups-json.by-sobre.${EXT.json}`)], { env, cwd: ws.dir }),
      sobre(["decrypt", ws.path(`groups-json.by-sops.${EXT.json}`)], { env, cwd: ws.dir }),
    ]);
    expect(bySops.stdout.toString()).toBe(r!.canonical.toString());
    expect(bySobre.stdout.toString()).toBe(r!.canonical.toString());
    countCase("sobre→sops");
    countCase("sops→sobre");
  });

  it("one group short of the threshold: both refuse with exit 128", async () => {
    expect(results.get("json")).toBeDefined();
    const env = ws.keyEnv([c], false);
    const [bySops, bySobre] = await Promise.all([
      sops(["-d", ws.path(`groups-json.by-sobre.${EXT.json}`)], { env, cwd: ws.dir }),
      sobre(["decrypt", ws.path(`groups-json.by-sops.${EXT.json}`)], { env, cwd: ws.dir }),
    ]);
    expect(bySops.code).toBe(128);
    expect(bySobre.code).toBe(128);
    expect(bySobre.stderr).toContain("only 1 of the 2 key groups needed could be opened");
  });
});
