import { describe, expect, it } from "vitest";
import { FormatError, UsageError } from "../../../src/errors.js";
import { descriptor } from "../../../src/keys/pgp/index.js";
import { trustedKeyId } from "../../../src/keys/pgp/fingerprint.js";

const FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";

describe("descriptor", () => {
  it("has the pgp shape", () => {
    expect(descriptor).toMatchObject({ type: "pgp", label: "PGP", offline: true, hasCreatedAt: true });
  });

  it("load() gives the client lazily", async () => {
    const client = await descriptor.load();
    expect(typeof client.wrap).toBe("function");
    expect(typeof client.unwrap).toBe("function");
  });
});

describe("descriptor.parseRefs", () => {
  it("splits on commas and strips spaces, like SOPS_PGP_FP / --pgp", () => {
    const keys = descriptor.parseRefs(`${FP}, FBC7 B9E2 A4F9 289A C0C1  D484 3D16 CEE4 A273 81B4,4B17CCC82911A6E0`);
    expect(keys.map((k) => k.id)).toEqual([FP, FP, "4B17CCC82911A6E0"]);
    expect(keys[0]).toEqual({ type: "pgp", id: FP, fields: { fp: FP } });
  });

  it("keeps the case and a trailing `!` as SOPS stores them, drops 0x", () => {
    expect(descriptor.parseRefs(`${FP.toLowerCase()}!`)[0]!.id).toBe(`${FP.toLowerCase()}!`);
    expect(descriptor.parseRefs("0x4B17CCC82911A6E0")[0]!.id).toBe("4B17CCC82911A6E0");
  });

  it("accepts 64-hex v5/v6 fingerprints", () => {
    expect(descriptor.parseRefs("A".repeat(64))[0]!.id).toBe("A".repeat(64));
  });

  it("ignores empty items (trailing comma) and empty input", () => {
    expect(descriptor.parseRefs("")).toEqual([]);
    expect(descriptor.parseRefs(`${FP},`)).toHaveLength(1);
  });

  it.each(["user@example.com", "FBC7B9E2", `${FP}0`, "XYZ7B9E2A4F9289AC0C1D4843D16CEE4A27381B4", `${FP}!!`])(
    "rejects %s with a UsageError and a hint",
    (bad) => {
      let err: unknown;
      try {
        descriptor.parseRefs(`${FP},${bad}`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain("invalid PGP fingerprint");
      expect((err as UsageError).hint).toContain("gpg --list-keys");
    },
  );
});

describe("descriptor.fromRecord / toRecord", () => {
  it("reads fp (case-insensitively, like SOPS 3.13) and accepts legacy values as stored", () => {
    expect(descriptor.fromRecord({ fp: FP })).toEqual({ type: "pgp", id: FP, fields: { fp: FP } });
    expect(descriptor.fromRecord({ FP: "4B17CCC82911A6E0" }).id).toBe("4B17CCC82911A6E0");
    // SOPS never validated fp; files made with `--pgp user@example.com` still decrypt with gpg.
    expect(descriptor.fromRecord({ fp: "user@example.com" }).id).toBe("user@example.com");
  });

  it("throws FormatError without fp", () => {
    expect(() => descriptor.fromRecord({})).toThrow(FormatError);
    expect(() => descriptor.fromRecord({ fp: "" })).toThrow(FormatError);
    expect(() => descriptor.fromRecord({ fp: 12n })).toThrow(FormatError);
  });

  it("writes created_at, enc, fp sorted, keeping unknown fields", () => {
    const key = descriptor.fromRecord({ fp: FP });
    const record = descriptor.toRecord({ key, enc: "-----BEGIN PGP MESSAGE-----\n…", createdAt: "2026-01-02T03:04:05Z", extra: { zz: "x", a: "y" } });
    expect(Object.keys(record)).toEqual(["a", "created_at", "enc", "fp", "zz"]);
    expect(record).toMatchObject({ created_at: "2026-01-02T03:04:05Z", fp: FP });
    expect(Object.keys(descriptor.toRecord({ key, enc: "e", createdAt: "t" }))).toEqual(["created_at", "enc", "fp"]);
  });
});

describe("trustedKeyId (SOPS's shortenFingerprint)", () => {
  it("takes the last 16 characters, keeping `!`", () => {
    expect(trustedKeyId(FP)).toBe("3D16CEE4A27381B4");
    expect(trustedKeyId(`${FP}!`)).toBe("3D16CEE4A27381B4!");
    expect(trustedKeyId("4B17CCC82911A6E0")).toBe("4B17CCC82911A6E0");
    expect(trustedKeyId("user@example.com")).toBeUndefined();
  });
});
