/**
 * The X25519 adapters in src/keys/age/primitives.ts import raw keys into node:crypto
 * (as JWK); RFC 7748 §6.1's vectors pin that the raw bytes mean what they should.
 */
import { describe, expect, it } from "vitest";
import { x25519, x25519Base } from "../../../src/keys/age/primitives.js";

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "hex"));
const ALICE = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
const BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

describe("X25519 (RFC 7748 §6.1)", () => {
  it("derives the public keys from the scalars", () => {
    expect(Buffer.from(x25519Base(ALICE)).toString("hex")).toBe(ALICE_PUBLIC);
    expect(Buffer.from(x25519Base(BOB)).toString("hex")).toBe(BOB_PUBLIC);
  });

  it("agrees on the shared secret from both sides, also from a subarray", () => {
    expect(Buffer.from(x25519(ALICE, hex(BOB_PUBLIC))).toString("hex")).toBe(SHARED);
    const padded = new Uint8Array(40);
    padded.set(BOB, 5);
    expect(Buffer.from(x25519(padded.subarray(5, 37), hex(ALICE_PUBLIC))).toString("hex")).toBe(SHARED);
  });

  it("rejects a low-order point and wrong lengths", () => {
    expect(() => x25519(ALICE, new Uint8Array(32))).toThrow(/low-order/);
    expect(() => x25519(ALICE, new Uint8Array(31))).toThrow(/length/);
  });
});
