/**
 * Randomly generated documents (fast-check, seeded), each encrypted by both tools and
 * cross-decrypted. Set INTEROP_SEED to reproduce or vary a run, INTEROP_RUNS to change
 * the number of documents per format.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { crossCheck, type InteropFormat } from "./cross.js";
import { missingPeers } from "./peers.js";
import { plaintextArbitrary } from "./random-docs.js";
import { ageTestKey, Workspace, type AgeKey } from "./workspace.js";

const SEED = Number(process.env["INTEROP_SEED"] ?? 20261123);
const RUNS = Number(process.env["INTEROP_RUNS"] ?? 50);

/** The random-document suite for some formats (split over files so the two forks share the work). */
export function randomSuite(formats: readonly InteropFormat[]): void {
  const skip = missingPeers(`randomly generated documents (${formats.join(", ")})`, ["sops"]);
  describe.skipIf(skip)(`random documents (seed ${SEED}, ${RUNS} per format)`, () => {
    let ws: Workspace;
    let key: AgeKey;
    beforeAll(() => {
      ws = new Workspace("sobre-rand-");
      key = ageTestKey();
    });
    afterAll(() => ws?.dispose());

    formats.forEach((format: InteropFormat) => {
      const fi = ["yaml", "json", "dotenv", "ini", "binary"].indexOf(format);
      it(`${format}: ${RUNS} generated documents round-trip both ways`, async () => {
        const samples = fc.sample(plaintextArbitrary(format), { seed: SEED + fi, numRuns: RUNS });
        const failures: string[] = [];
        await Promise.all(
          samples.map(async (plaintext, i) => {
            try {
              await crossCheck({ ws, id: `r-${format}-${i}`, format, plaintext, encryptArgs: ["--age", key.recipient], encEnv: ws.env(), decEnv: ws.keyEnv([key], false) });
            } catch (err) {
              const shown = typeof plaintext === "string" ? JSON.stringify(plaintext) : Buffer.from(plaintext).toString("hex");
              failures.push(`#${i}: ${(err as Error).message.split("\n").slice(0, 12).join("\n    ")}\n    plaintext: ${shown.slice(0, 1500)}`);
            }
          }),
        );
        if (failures.length > 0) {
          console.error(`\nrandom ${format}: ${failures.length}/${RUNS} failed — reproduce with INTEROP_SEED=${SEED} (format seed ${SEED + fi})\n${failures.join("\n")}`);
        }
        expect(failures, `seed ${SEED}: ${failures.length} of ${RUNS} ${format} documents failed`).toEqual([]);
        countCase("random", 2 * RUNS);
      });
    });
  });
}
