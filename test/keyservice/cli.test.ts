import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../src/cli/commands/keyservice.js";
import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { ROOT } from "../helpers/paths.js";

const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const RECIPIENT = "age15j0zeekv7gjstl44w23quckkg7d59jkd36nkrzrn9g7zrj3awgasvxea05";
const dir = mkdtempSync(join(tmpdir(), "sobre-ks-cli-"));

function fakeIO(env: Record<string, string>): CliIO & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    readStdin: async () => new Uint8Array(),
    writeStdout: (d) => {
      out += typeof d === "string" ? d : Buffer.from(d).toString("utf8");
    },
    writeStderr: (t) => {
      err += t;
    },
    env: { HOME: dir, ...env },
    cwd: dir,
    stdinIsTTY: false,
    stderrIsTTY: false,
    out: () => out,
    err: () => err,
  };
}

describe("sobre keyservice (command) and --keyservice (flags), in-process", () => {
  const serverIO = fakeIO({ SOPS_AGE_KEY_FILE: AGE_KEY_FILE });
  let stop!: (sig: string) => void;
  let served: Promise<number>;
  let uri = "";

  beforeAll(async () => {
    served = serve(["--network", "tcp", "--address", "127.0.0.1:0"], serverIO, new Promise((r) => (stop = r)));
    for (let i = 0; i < 100 && !uri; i++) {
      uri = /listening on (tcp:\/\/\S+)/.exec(serverIO.err())?.[1] ?? "";
      if (!uri) await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    stop("SIGTERM");
    await served;
    rmSync(dir, { recursive: true, force: true });
  });

  it("encrypts and decrypts through the service with no identity on the client", async () => {
    expect(uri).not.toBe("");
    writeFileSync(join(dir, "plain.json"), '{"user":"app","password":"hunter2"}\n');
    const enc = fakeIO({});
    expect(await run(["encrypt", "--age", RECIPIENT, "--keyservice", uri, "--enable-local-keyservice=false", "--output", "secret.json", "plain.json"], enc)).toBe(0);
    expect(readFileSync(join(dir, "secret.json"), "utf8")).not.toContain("hunter2");

    const denied = fakeIO({});
    expect(await run(["decrypt", "secret.json"], denied)).toBe(128);

    const dec = fakeIO({});
    expect(await run(["decrypt", "--keyservice", uri, "--enable-local-keyservice=false", "secret.json"], dec)).toBe(0);
    expect(JSON.parse(dec.out())).toEqual({ user: "app", password: "hunter2" });
  });

  it("reads SOPS_KEYSERVICE and SOPS_ENABLE_LOCAL_KEYSERVICE like SOPS", async () => {
    const dec = fakeIO({ SOPS_KEYSERVICE: uri, SOPS_ENABLE_LOCAL_KEYSERVICE: "false" });
    expect(await run(["decrypt", "secret.json"], dec)).toBe(0);
    expect(JSON.parse(dec.out()).password).toBe("hunter2");
  });

  it("rejects a malformed --keyservice address as a usage error", async () => {
    const io = fakeIO({});
    expect(await run(["decrypt", "--keyservice", "127.0.0.1:5000", "secret.json"], io)).toBe(1);
    expect(io.err()).toContain("invalid key service address");
  });

  it("logged the requests without the value or the key material", () => {
    expect(serverIO.err()).toMatch(/encrypt age age15j0z\S+: ok/);
    expect(serverIO.err()).toMatch(/decrypt age age15j0z\S+: ok/);
    expect(serverIO.err()).not.toContain("hunter2");
    expect(serverIO.err()).not.toContain("AGE-SECRET-KEY");
  });

  it("reports a busy address as a usage error with a hint", async () => {
    const port = /:(\d+)$/.exec(uri)![1];
    const io = fakeIO({});
    const code = await run(["keyservice", "--address", `127.0.0.1:${port}`], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`could not listen on tcp://127.0.0.1:${port}`);
  });

  it("stops cleanly on the stop signal and exits 0", async () => {
    stop("SIGINT");
    expect(await served).toBe(0);
    expect(serverIO.err()).toContain("caught SIGINT: shutting down");
  });
});
