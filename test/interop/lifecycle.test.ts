/**
 * Each tool's lifecycle commands on the other's files: `set`, `edit` (with a scripted
 * fake $EDITOR), `rotate` and `updatekeys` (.sops.yaml), each result read back by the
 * other tool.
 */
import { chmodSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { EXT } from "./cross.js";
import { missingPeers } from "./peers.js";
import { ok, sobre, sops } from "./proc.js";
import { ageKeygen, ageTestKey, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("lifecycle commands (set/edit/rotate/updatekeys)", ["sops", "age"]);

const PLAIN: Record<"yaml" | "json", string> = {
  yaml: "# settings\nname: app\nport: 8080\nnested:\n    password: hunter2\n    list:\n        - 1\n        - two\n",
  json: '{\n\t"name": "app",\n\t"port": 8080,\n\t"nested": {\n\t\t"password": "hunter2",\n\t\t"list": [\n\t\t\t1,\n\t\t\t"two"\n\t\t]\n\t}\n}\n',
};

type Tool = "sops" | "sobre";
const other = (t: Tool): Tool => (t === "sops" ? "sobre" : "sops");
const run = (t: Tool, args: string[], env: Record<string, string>, cwd: string) => (t === "sops" ? sops(args, { env, cwd }) : sobre(args, { env, cwd }));

describe.skipIf(skip)("lifecycle commands across tools", () => {
  let ws: Workspace;
  let a: AgeKey;
  let b: AgeKey;
  let editor: string;

  beforeAll(() => {
    ws = new Workspace("sobre-life-");
    a = ageTestKey();
    b = ageKeygen();
    editor = ws.write("fake-editor.sh", "#!/bin/sh\n# Scripted $EDITOR: change the port, add a key.\nfor f; do last=$f; done\nsed -i -e 's/8080/9090/' \"$last\"\n");
    chmodSync(editor, 0o755);
    ws.write(".sops.yaml", `creation_rules:\n  - age: ${a.recipient},${b.recipient}\n`);
  });
  afterAll(() => ws?.dispose());

  async function values(reader: Tool, file: string, env: Record<string, string>): Promise<unknown> {
    const args = reader === "sops" ? ["-d", file] : ["decrypt", file];
    return parseYaml(ok(await run(reader, args, env, ws.dir)).toString("utf8"));
  }

  for (const actor of ["sops", "sobre"] as Tool[]) {
    for (const format of ["yaml", "json"] as const) {
      const writer = other(actor);
      it(`${actor} set/edit/rotate/updatekeys a ${writer}-written ${format} file; ${writer} reads every step`, async () => {
        const onlyA = ws.keyEnv([a], false);
        const plain = ws.write(`life-${actor}-${format}.plain.${EXT[format]}`, PLAIN[format]);
        const encArgs = writer === "sops" ? ["-e", "--age", a.recipient, plain] : ["encrypt", "--age", a.recipient, plain];
        const file = ws.write(`life-${actor}-${format}.${EXT[format]}`, ok(await run(writer, encArgs, onlyA, ws.dir)));

        // set
        ok(await run(actor, ["set", file, '["nested"]["password"]', '"changed ✓"'], onlyA, ws.dir));
        expect(await values(writer, file, onlyA)).toMatchObject({ name: "app", port: 8080, nested: { password: "changed ✓", list: [1, "two"] } });

        // edit, through a scripted editor
        ok(await run(actor, ["edit", file], { ...onlyA, EDITOR: editor }, ws.dir));
        expect(await values(writer, file, onlyA)).toMatchObject({ port: 9090, nested: { password: "changed ✓" } });

        // rotate: a new data key, same values
        const before = ws.read(`life-${actor}-${format}.${EXT[format]}`).toString();
        ok(await run(actor, ["rotate", "-i", file], onlyA, ws.dir));
        const after = ws.read(`life-${actor}-${format}.${EXT[format]}`).toString();
        expect(after).not.toBe(before);
        expect(await values(writer, file, onlyA)).toMatchObject({ port: 9090, nested: { password: "changed ✓" } });

        // updatekeys: .sops.yaml adds recipient b; b alone then opens the file
        const onlyB = ws.keyEnv([b], false);
        expect((await run(writer, writer === "sops" ? ["-d", file] : ["decrypt", file], onlyB, ws.dir)).code).toBe(128);
        ok(await run(actor, ["updatekeys", "-y", file], onlyA, ws.dir));
        expect(await values(writer, file, onlyB)).toMatchObject({ name: "app", port: 9090, nested: { password: "changed ✓", list: [1, "two"] } });
        // The acting tool itself still reads its result.
        expect(await values(actor, file, onlyB)).toEqual(await values(writer, file, onlyB));
        countCase("lifecycle", 4);
      });
    }
  }
});
