import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { descriptor } from "../../../src/keys/age/index.js";
import { identityToRecipient } from "../../../src/keys/age/keygen.js";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import { makeCtx } from "./helpers.js";

const ARMOR = /-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? (name === "keys" ? [] : walk(p)) : [p];
  });
}

/**
 * Every armored age `enc` in a SOPS file, whatever the store (YAML block, JSON or
 * dotenv `\n` escapes), with the recipient written next to it (before or after,
 * depending on the SOPS version's field order).
 */
function encsIn(text: string): Array<{ enc: string; recipient: string }> {
  const unescaped = text.replace(/\\n/g, "\n");
  const matches = [...unescaped.matchAll(ARMOR)];
  // SOPS ≤3.12 wrote `recipient` before `enc`, 3.13 sorts `enc` first: decide per file.
  const firstToken = /age1[0-9a-z]+/.exec(unescaped)?.index ?? Infinity;
  const recipientFirst = matches.length > 0 && firstToken < matches[0]!.index;
  return matches.map((m, i) => {
    const start = m.index;
    const end = start + m[0].length;
    const prevEnd = i > 0 ? matches[i - 1]!.index + matches[i - 1]![0].length : 0;
    const nextStart = i + 1 < matches.length ? matches[i + 1]!.index : unescaped.length;
    const token = recipientFirst
      ? [...unescaped.slice(prevEnd, start).matchAll(/age1[0-9a-z]+/g)].pop()
      : /age1[0-9a-z]+/.exec(unescaped.slice(end, nextStart));
    return { enc: m[0].split("\n").map((l) => l.trim()).join("\n") + "\n", recipient: token?.[0] ?? "" };
  });
}

/** All age secret keys published by one fixture source (its keys/ folder or keys.txt). */
function sourceKeys(source: string): string {
  const files = existsSync(join(source, "keys")) ? readdirSync(join(source, "keys")).map((f) => join(source, "keys", f)) : [];
  if (existsSync(join(source, "keys.txt"))) files.push(join(source, "keys.txt"));
  return files
    .filter((f) => f.endsWith(".txt"))
    .flatMap((f) => readFileSync(f, "utf8").split("\n"))
    .filter((l) => l.startsWith("AGE-SECRET-KEY-"))
    .join("\n");
}

const present = existsSync(INTEROP_FIXTURES);
const cases = present
  ? readdirSync(INTEROP_FIXTURES)
      .map((s) => join(INTEROP_FIXTURES, s))
      .filter((s) => statSync(s).isDirectory())
      .flatMap((source) =>
        walk(source)
          .filter((f) => !/\.values\.json$|decrypted|\.plain\./.test(f))
          .flatMap((f) =>
            encsIn(readFileSync(f, "latin1")).map((e, i) => ({ name: `${relative(INTEROP_FIXTURES, f)}#${i}`, source, ...e })),
          ),
      )
  : [];

describe.skipIf(!present)("age stanzas of the SOPS interop fixtures", async () => {
  const client = await descriptor.load();

  it("finds the fixtures, including the post-quantum one", () => {
    expect(cases.length).toBeGreaterThanOrEqual(21);
    expect(cases.some((c) => c.name.startsWith("fluxcd-kustomize-controller/algorithms-age-pq.yaml"))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: unwraps to 32 bytes with its key, else null", async (_name, c) => {
    const keys = sourceKeys(c.source);
    const known = await Promise.all(keys.split("\n").map((k) => identityToRecipient(k)));
    expect(c.recipient).toMatch(/^age1/);
    const key = descriptor.fromRecord({ recipient: c.recipient });
    const dataKey = await client.unwrap(key, c.enc, makeCtx({ env: { SOPS_AGE_KEY: keys } }));
    if (known.includes(c.recipient)) {
      expect(dataKey).not.toBeNull();
      expect(dataKey!.length).toBe(32);
    } else {
      // A recipient whose secret key was not published: not ours, so null (never a throw).
      expect(dataKey).toBeNull();
    }
  });

  it("pairs most stanzas with a published key", async () => {
    let paired = 0;
    for (const c of cases) {
      const known = await Promise.all(sourceKeys(c.source).split("\n").map((k) => identityToRecipient(k)));
      if (known.includes(c.recipient)) paired++;
    }
    // One stanza per age-encrypted fixture file has a published key (21 files).
    expect(paired).toBeGreaterThanOrEqual(21);
  });
});
