/**
 * SOPS's key service protocol, proven both ways with the real binaries. The age and PGP
 * identities live only in the server's environment; every client env holds none.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCase } from "./counts.js";
import { text } from "./cross.js";
import { DOCS } from "./documents.js";
import { missingPeers } from "./peers.js";
import { ok, sobre, sops } from "./proc.js";
import { freePort, startServer, type ServerProcess } from "./servers.js";
import { ageTestKey, PGP_FP, Workspace, type AgeKey } from "./workspace.js";

const skip = missingPeers("key service (gRPC) both ways", ["sops", "gpg"]);

describe.skipIf(skip)("key service interop", () => {
  let ws: Workspace;
  let key: AgeKey;
  let serverEnv: Record<string, string>;
  let clientEnv: Record<string, string>;
  let sobreTcp: ServerProcess & { uri: string };
  let sobreUnix: ServerProcess & { uri: string };
  let sopsTcp: ServerProcess & { uri: string };
  let sopsUnix: ServerProcess & { uri: string };
  /** Canonical plaintext (`sops -d` of a locally made sops file). */
  let canonical: Buffer;

  beforeAll(async () => {
    ws = new Workspace("sobre-ks-");
    ws.importPgpKey();
    key = ageTestKey();
    serverEnv = ws.keyEnv([key], true);
    clientEnv = ws.env();
    const port = await freePort();
    const [a, b, c, d] = await Promise.all([
      startServer("sobre", ["--network", "tcp", "--address", "127.0.0.1:0"], serverEnv, ws.dir, /listening on (tcp:\/\/127\.0\.0\.1:\d+)/),
      startServer("sobre", ["--network", "unix", "--address", ws.path("sobre.sock")], serverEnv, ws.dir, /listening on (unix:\/\/\S+)/),
      startServer("sops", ["--verbose", "--network", "tcp", "--address", `127.0.0.1:${port}`], serverEnv, ws.dir, /Listening on tcp:\/\/(\S+)/),
      startServer("sops", ["--verbose", "--network", "unix", "--address", ws.path("sops.sock")], serverEnv, ws.dir, /Listening on unix:\/\/(\S+)/),
    ]);
    sobreTcp = { ...a, uri: a.match[1]! };
    sobreUnix = { ...b, uri: b.match[1]! };
    sopsTcp = { ...c, uri: `tcp://127.0.0.1:${port}` };
    sopsUnix = { ...d, uri: `unix://${ws.path("sops.sock")}` };
    ws.write("plain.json", DOCS.json);
    canonical = ok(await sops(["-d", ws.write("canon.json", ok(await sops(["-e", "--age", key.recipient, ws.path("plain.json")], { env: clientEnv, cwd: ws.dir })))], { env: serverEnv, cwd: ws.dir }));
  });

  afterAll(async () => {
    await Promise.all([sobreTcp, sobreUnix, sopsTcp, sopsUnix].filter(Boolean).map((s) => s.stop()));
    ws?.dispose();
  });

  const recipients = (kind: string): string[] => (kind === "age" ? ["--age", key.recipient] : ["--pgp", PGP_FP]);
  const remoteOnly = (uri: string): string[] => ["--keyservice", uri, "--enable-local-keyservice=false"];

  for (const kind of ["age", "pgp"]) {
    for (const transport of ["tcp", "unix"] as const) {
      it(`sops client → sobre keyservice (${transport}), ${kind}: encrypt and decrypt with no local identity`, async () => {
        const uri = transport === "tcp" ? sobreTcp.uri : sobreUnix.uri;
        // sops encrypts through sobre's service (PGP needs the server's keyring) …
        const enc = ok(await sops(["-e", ...remoteOnly(uri), ...recipients(kind), ws.path("plain.json")], { env: clientEnv, cwd: ws.dir }));
        const file = ws.write(`sops-via-sobre-${kind}-${transport}.json`, enc);
        // … and decrypts through it; the client alone cannot.
        const local = await sops(["-d", file], { env: clientEnv, cwd: ws.dir });
        expect(local.code).toBe(128);
        const dec = ok(await sops(["-d", ...remoteOnly(uri), file], { env: clientEnv, cwd: ws.dir }));
        expect(text(dec)).toBe(text(canonical));
        // The sobre service also opens a file sobre wrote locally on the server side.
        const mine = ws.write(`sobre-local-${kind}-${transport}.json`, ok(await sobre(["encrypt", ...recipients(kind), ws.path("plain.json")], { env: serverEnv, cwd: ws.dir })));
        expect(text(ok(await sops(["-d", ...remoteOnly(uri), mine], { env: clientEnv, cwd: ws.dir })))).toBe(text(canonical));
        countCase("keyservice", 3);
      });

      it(`sobre client → sops keyservice (${transport}), ${kind}: encrypt and decrypt with no local identity`, async () => {
        const uri = transport === "tcp" ? sopsTcp.uri : sopsUnix.uri;
        const enc = ok(await sobre(["encrypt", ...remoteOnly(uri), ...recipients(kind), ws.path("plain.json")], { env: clientEnv, cwd: ws.dir }));
        const file = ws.write(`sobre-via-sops-${kind}-${transport}.json`, enc);
        const local = await sobre(["decrypt", file], { env: clientEnv, cwd: ws.dir });
        expect(local.code).toBe(128);
        const dec = ok(await sobre(["decrypt", ...remoteOnly(uri), file], { env: clientEnv, cwd: ws.dir }));
        // sobre keeps the input's layout (INTEROP.md, difference 1): the original bytes come back.
        expect(text(dec)).toBe(text(ws.read("plain.json")));
        // sops itself reads the file sobre made through the service (locally, on the server side).
        expect(text(ok(await sops(["-d", file], { env: serverEnv, cwd: ws.dir })))).toBe(text(canonical));
        // And sobre opens sops's own file through sops's service.
        const bySops = ws.write(`sops-local-${kind}-${transport}.json`, ok(await sops(["-e", ...recipients(kind), ws.path("plain.json")], { env: serverEnv, cwd: ws.dir })));
        expect(text(ok(await sobre(["decrypt", ...remoteOnly(uri), bySops], { env: clientEnv, cwd: ws.dir })))).toBe(text(canonical));
        countCase("keyservice", 4);
      });
    }
  }

  it("sobre falls back from an unreachable service to a working one, and names both on total failure", async () => {
    const dead = `tcp://127.0.0.1:${await freePort()}`;
    const file = ws.path("sobre-via-sops-age-tcp.json");
    expect(existsSync(file)).toBe(true);
    const dec = ok(await sobre(["decrypt", "--keyservice", dead, "--keyservice", sopsTcp.uri, "--enable-local-keyservice=false", file], { env: clientEnv, cwd: ws.dir }));
    expect(text(dec)).toBe(text(ws.read("plain.json")));
    const fail = await sobre(["decrypt", "--keyservice", dead, file], { env: clientEnv, cwd: ws.dir });
    expect(fail.code).toBe(128);
    expect(fail.stderr).toContain(`${dead}: unreachable`);
    expect(fail.stderr).toContain("local: no matching identity");
    countCase("keyservice");
  });

  it("sobre keyservice logged one secret-free line per request", () => {
    const lines = sobreTcp.log().trim().split("\n");
    expect(lines[0]).toMatch(/^sobre keyservice: listening on tcp:\/\/127\.0\.0\.1:\d+$/);
    const requests = lines.slice(1);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const line of requests) expect(line).toMatch(/^sobre keyservice: (encrypt|decrypt) (age age1\S+|PGP [0-9A-F]{40}): (ok \(\d+ ms\)|failed: .+)$/);
    const all = sobreTcp.log() + sobreUnix.log();
    expect(all).not.toContain("AGE-SECRET-KEY");
    expect(all).not.toContain("hunter2");
  });

  it("sobre keyservice shuts down cleanly on SIGTERM and removes its socket", async () => {
    const sock = ws.path("sobre.sock");
    expect(existsSync(sock)).toBe(true);
    expect(await sobreUnix.stop()).toBe(0);
    expect(existsSync(sock)).toBe(false);
    expect(sobreUnix.log()).toContain("caught SIGTERM: shutting down");
  });
});
