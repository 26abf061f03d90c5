import { describe, expect, it } from "vitest";
import { gpgErrorCodes, summarizeGpgError } from "../../../src/keys/pgp/gpg-exec.js";
import type { GpgResult } from "../../../src/keys/pgp/gpg-exec.js";

const result = (stderr: string, extra: Partial<GpgResult> = {}): GpgResult => {
  const lines = stderr.split("\n").filter((l) => l !== "");
  return {
    code: 2,
    stdout: Buffer.alloc(0),
    messages: lines.filter((l) => !l.startsWith("[GNUPG:] ")),
    status: lines.filter((l) => l.startsWith("[GNUPG:] ")).map((l) => l.slice(9)),
    timedOut: false,
    ...extra,
  };
};

// Captured from gpg 2.2.40.
const BAD_PASSPHRASE = `[GNUPG:] ENC_TO DA8221B46260B81D 18 0
gpg: encrypted with 255-bit ECDH key, ID DA8221B46260B81D, created 2026-11-23
      "Invalid Error <failed@example.invalid>"
gpg: public key decryption failed: Bad passphrase
[GNUPG:] ERROR pkdecrypt_failed 67108875
[GNUPG:] DECRYPTION_FAILED
gpg: decryption failed: No secret key`;

describe("summarizeGpgError", () => {
  it("reports the cause, not the consequence nor the user id", () => {
    expect(summarizeGpgError(result(BAD_PASSPHRASE))).toBe("public key decryption failed: Bad passphrase");
  });

  it("skips the scdaemon noise of hidden-recipient decryption", () => {
    const r = result(`gpg: error getting version from 'scdaemon': No SmartCard daemon
gpg: anonymous recipient; trying secret key F15D3C50575B206E ...
gpg: decryption failed: No secret key`);
    expect(summarizeGpgError(r)).toBe("decryption failed: No secret key");
  });

  it("drops the [stdin] prefix and caps the length", () => {
    expect(summarizeGpgError(result("gpg: [stdin]: encryption failed: No public key"))).toBe("encryption failed: No public key");
    expect(summarizeGpgError(result(`gpg: error ${"x".repeat(400)}`)).length).toBe(200);
  });

  it("explains a timeout and falls back to the exit code", () => {
    expect(summarizeGpgError(result("", { timedOut: true }))).toMatch(/did not finish in time/);
    expect(summarizeGpgError(result(""))).toBe("gpg exited with code 2");
  });
});

describe("gpgErrorCodes", () => {
  it("extracts libgpg-error codes from ERROR/FAILURE status lines", () => {
    expect(gpgErrorCodes(result(BAD_PASSPHRASE))).toEqual([11]);
    expect(gpgErrorCodes(result("[GNUPG:] FAILURE encrypt 9"))).toEqual([9]);
  });
});
