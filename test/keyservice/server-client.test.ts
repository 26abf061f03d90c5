import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenEndpoint } from "../../src/keyservice/address.js";
import { createKeyServiceRouter } from "../../src/keyservice/client.js";
import { serveKeyService, type RequestKind, type RunningKeyService } from "../../src/keyservice/server.js";
import { unwrapDataKey, wrapForGroups } from "../../src/keys/groups.js";
import { descriptorFor } from "../../src/keys/registry.js";
import type { KeyContext, MasterKey } from "../../src/keys/types.js";
import { createKeyContext } from "../../src/operations/key-context.js";
import { ROOT } from "../helpers/paths.js";

const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const RECIPIENT = "age15j0zeekv7gjstl44w23quckkg7d59jkd36nkrzrn9g7zrj3awgasvxea05";
const OTHER = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const AGE = descriptorFor("age")!;
const key = (r: string): MasterKey => AGE.parseRefs(r)[0]!;

const home = mkdtempSync(join(tmpdir(), "sobre-ks-"));
/** A context with no identities at all (the client side of every test). */
const bareEnv = { HOME: home };
const withIdentity = { HOME: home, SOPS_AGE_KEY_FILE: AGE_KEY_FILE };

function clientCtx(uris: string[], local: boolean, env: Record<string, string> = bareEnv): KeyContext {
  return { ...createKeyContext({ env, cwd: home }), keyServices: createKeyServiceRouter({ uris, local }) };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

const dataKey = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const dataKeyHex = Buffer.from(dataKey).toString("hex");
const dataKeyB64 = Buffer.from(dataKey).toString("base64");

describe("key service: sobre server + sobre client (in-process)", () => {
  const logs: string[] = [];
  const asked: [RequestKind, string][] = [];
  let allow = true;
  let tcp: RunningKeyService;
  let uri: string;

  beforeAll(async () => {
    tcp = await serveKeyService({
      endpoint: listenEndpoint("tcp", "127.0.0.1:0", home),
      keyContext: createKeyContext({ env: withIdentity, cwd: home }),
      log: (l) => logs.push(l),
      approve: async (kind, k) => {
        asked.push([kind, k.id]);
        return allow;
      },
    });
    uri = tcp.endpoint.display;
  });
  afterAll(() => tcp.close());

  it("binds port 0 to a real port and reports it", () => {
    expect(uri).toMatch(/^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
  });

  it("wraps and unwraps a data key for a client that holds no identity", async () => {
    const ctx = clientCtx([uri], false);
    const groups = await wrapForGroups(dataKey, [[key(RECIPIENT)]], 0, ctx);
    expect(groups[0]![0]!.wrapped!.enc).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(await unwrapDataKey(groups, 0, clientCtx([uri], false))).toEqual(dataKey);
    // Without the service the same client cannot open it.
    await expect(unwrapDataKey(groups, 0, createKeyContext({ env: bareEnv, cwd: home }))).rejects.toThrow(/no key could decrypt/);
    expect(asked.slice(-2)).toEqual([
      ["encrypt", RECIPIENT],
      ["decrypt", RECIPIENT],
    ]);
  });

  it("splits across key groups (Shamir) with every share wrapped remotely", async () => {
    const groups = await wrapForGroups(dataKey, [[key(RECIPIENT)], [key(RECIPIENT)], [key(OTHER)]], 2, clientCtx([uri], false));
    expect(await unwrapDataKey(groups, 2, clientCtx([uri], false))).toEqual(dataKey);
  });

  it("tries the local key client first and never calls the service when it succeeds", async () => {
    const groups = await wrapForGroups(dataKey, [[key(RECIPIENT)]], 0, createKeyContext({ env: bareEnv, cwd: home }));
    const before = logs.length;
    const dead = `tcp://127.0.0.1:${await freePort()}`;
    expect(await unwrapDataKey(groups, 0, clientCtx([dead], true, withIdentity))).toEqual(dataKey);
    expect(logs.length).toBe(before);
  });

  it("falls through an unreachable service to the next one, in order", async () => {
    const dead = `tcp://127.0.0.1:${await freePort()}`;
    const groups = await wrapForGroups(dataKey, [[key(RECIPIENT)]], 0, clientCtx([dead, uri], false));
    expect(await unwrapDataKey(groups, 0, clientCtx([dead, uri], false))).toEqual(dataKey);
  });

  it("names every service that failed when none could decrypt", async () => {
    const dead = `tcp://127.0.0.1:${await freePort()}`;
    const groups = await wrapForGroups(dataKey, [[key(OTHER)]], 0, createKeyContext({ env: bareEnv, cwd: home }));
    type Failed = Error & { failures: { reason: string }[] };
    const err = (await unwrapDataKey(groups, 0, clientCtx([dead, uri], true)).catch((e: unknown) => e)) as Failed;
    const reason = err.failures[0]!.reason;
    expect(reason).toContain("local: no matching identity");
    expect(reason).toContain(dead);
    expect(reason).toContain(`${uri}: no identity or credentials for age ${OTHER} on the key service host`);
    expect(logs.at(-1)).toBe(`decrypt age ${OTHER}: failed: no identity or credentials for age ${OTHER} on the key service host`);
  });

  it("refuses requests the operator rejects (--prompt)", async () => {
    allow = false;
    try {
      const err = (await wrapForGroups(dataKey, [[key(RECIPIENT)]], 0, clientCtx([uri], false)).catch((e: unknown) => e)) as Error & { failures: { reason: string }[] };
      expect(err.failures[0]!.reason).toContain("request rejected by user");
    } finally {
      allow = true;
    }
  });

  it("logs one secret-free line per request", () => {
    expect(logs.length).toBeGreaterThanOrEqual(8);
    for (const line of logs) {
      expect(line).toMatch(/^(encrypt|decrypt) age age1[0-9a-z]+: (ok \(\d+ ms\)|failed: .+)$/);
      expect(line).not.toContain(dataKeyHex);
      expect(line).not.toContain(dataKeyB64);
      expect(line).not.toContain("AGE-SECRET-KEY");
    }
  });

  it("fails a client with no local keys and no service as a usage error", () => {
    expect(() => createKeyServiceRouter({ uris: [], local: false })).toThrow(/needs at least one --keyservice/);
  });
});

describe("key service over a unix socket", () => {
  it("serves on the socket and removes the socket file on close", async () => {
    const sockDir = mkdtempSync(join(tmpdir(), "sobre-ks-sock-"));
    const sock = join(sockDir, "ks.sock");
    const ks = await serveKeyService({
      endpoint: listenEndpoint("unix", sock, home),
      keyContext: createKeyContext({ env: withIdentity, cwd: home }),
      log: () => {},
    });
    try {
      expect(existsSync(sock)).toBe(true);
      const groups = await wrapForGroups(dataKey, [[key(RECIPIENT)]], 0, clientCtx([`unix://${sock}`], false));
      expect(await unwrapDataKey(groups, 0, clientCtx([`unix://${sock}`], false))).toEqual(dataKey);
    } finally {
      await ks.close();
    }
    expect(existsSync(sock)).toBe(false);
    rmSync(sockDir, { recursive: true, force: true });
  });
});
