/**
 * Every accepted difference between sobre and sops 3.13.3 listed in INTEROP.md, asserted
 * exactly, so a change on either side shows up here instead of drifting silently.
 */
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { sopsMetadata } from "./inspect.js";
import { missingPeers, SOPS_VERSION } from "./peers.js";
import { ok, sobre, sops } from "./proc.js";
import { ageTestKey, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("accepted differences (INTEROP.md)", ["sops"]);

describe.skipIf(skip)("accepted differences (INTEROP.md)", () => {
  let ws: Workspace;
  let key: AgeKey;
  let env: Record<string, string>;
  beforeAll(() => {
    ws = new Workspace("sobre-diff-");
    key = ageTestKey();
    env = ws.keyEnv([key], false);
  });
  afterAll(() => ws?.dispose());

  const enc = async (tool: "sops" | "sobre", name: string, content: string): Promise<string> => {
    const plain = ws.write(name, content);
    const args = ["--age", key.recipient, plain];
    const out = ok(tool === "sops" ? await sops(["-e", ...args], { env, cwd: ws.dir }) : await sobre(["encrypt", ...args], { env, cwd: ws.dir }));
    return ws.write(`${tool}.${name}`, out);
  };
  const dec = async (tool: "sops" | "sobre", file: string): Promise<string> =>
    ok(tool === "sops" ? await sops(["-d", file], { env, cwd: ws.dir }) : await sobre(["decrypt", file], { env, cwd: ws.dir })).toString("utf8");

  it("1. layout: sobre gives back its input's own layout; sops -d re-emits canonically (same values)", async () => {
    const input = '{"name": "app", "list": [1, 2.5, true], "nested": {"k": "v"}}\n';
    const file = await enc("sobre", "layout.json", input);
    const bySobre = await dec("sobre", file);
    const bySops = await dec("sops", file);
    expect(bySobre).toBe(input);
    expect(bySops).toBe('{\n\t"name": "app",\n\t"list": [\n\t\t1,\n\t\t2.5,\n\t\ttrue\n\t],\n\t"nested": {\n\t\t"k": "v"\n\t}\n}\n');
    expect(JSON.parse(bySobre)).toEqual(JSON.parse(bySops));
    countCase("sobre→sops");
  });

  it("2. YAML line comments: sobre keeps `key: value # note` on its line; sops -d moves it above the key", async () => {
    const file = await enc("sops", "inline.yaml", "a: 1\nkey: value # note\n");
    expect(await dec("sops", file)).toBe("a: 1\n# note\nkey: value\n");
    expect(await dec("sobre", file)).toBe("a: 1\nkey: value # note\n");
    countCase("sops→sobre");
  });

  it("3. dotenv quotes: both encrypt the same values; only sobre exec-env unquotes them", async () => {
    const input = "A='x y'\nB=\"p # q\"\nC=plain\n";
    const [bySobre, bySops] = await Promise.all([enc("sobre", "quotes.env", input), enc("sops", "quotes.env", input)]);
    // Quotes are part of the value in both tools, so every decrypt gives the input back.
    for (const [tool, file] of [["sops", bySobre], ["sops", bySops], ["sobre", bySops], ["sobre", bySobre]] as const) {
      expect(await dec(tool, file)).toBe(input);
    }
    const show = "printf '%s|%s' \"$A\" \"$B\"";
    const viaSobre = ok(await sobre(["exec-env", bySops, show], { env, cwd: ws.dir })).toString("utf8");
    const viaSops = ok(await sops(["exec-env", bySops, show], { env, cwd: ws.dir })).toString("utf8");
    expect(viaSobre).toBe("x y|p # q");
    expect(viaSops).toBe("'x y'|\"p # q\"");
    countCase("sobre→sops");
    countCase("sops→sobre");
  });

  it("4. metadata version: sobre writes the format version it emulates (3.13.2); each reads the other's", async () => {
    const [bySobre, bySops] = await Promise.all([enc("sobre", "version.yaml", "a: b\n"), enc("sops", "version.yaml", "a: b\n")]);
    expect(sopsMetadata("yaml", ws.read(`sobre.version.yaml`))["version"]).toBe("3.13.2");
    expect(sopsMetadata("yaml", ws.read(`sops.version.yaml`))["version"]).toBe(SOPS_VERSION);
    expect(parseYaml(await dec("sops", bySobre))).toEqual({ a: "b" });
    expect(parseYaml(await dec("sobre", bySops))).toEqual({ a: "b" });
  });

  it("5. YAML block-scalar indentation digit: sops -d writes go-yaml's wrong digit, sobre one that reads back", async () => {
    const input = "list:\n    - - ' leading space\n\n        second line'\n";
    const file = await enc("sops", "blockdigit.yaml", input);
    const bySops = await dec("sops", file);
    const bySobre = await dec("sobre", file);
    expect(bySops).toMatch(/- \|4-?$/m);
    expect(bySobre).toMatch(/- \|2-?$/m);
    expect(bySobre.replace(/\|2/, "|4")).toBe(bySops);
    expect(() => parseYaml(bySops)).toThrow();
    expect(parseYaml(bySobre)).toEqual(parseYaml(input));
    countCase("sops→sobre");
  });
});
