/**
 * The real peers the interop suite runs against: `sops` (3.13.3), `age`/`age-keygen`
 * and `gpg`. A missing peer skips its tests with a loud notice, never silently.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BIN } from "../helpers/paths.js";

function goBin(name: string): string | undefined {
  const dirs = [process.env["GOBIN"], process.env["GOPATH"] && join(process.env["GOPATH"], "bin"), join(homedir(), "go/bin")];
  return dirs.filter((d): d is string => !!d).map((d) => join(d, name)).find((p) => existsSync(p));
}

function works(bin: string | undefined, args: string[]): boolean {
  return !!bin && spawnSync(bin, args, { stdio: "ignore", timeout: 20_000 }).status === 0;
}

export const SOPS_BIN = process.env["SOBRE_INTEROP_SOPS"] ?? goBin("sops") ?? "sops";
export const AGE_KEYGEN_BIN = goBin("age-keygen") ?? "age-keygen";
export const GPG_BIN = "gpg";
/** The built sobre CLI (`npm run test:interop` builds it); overridable for development. */
export const SOBRE_BIN = process.env["SOBRE_INTEROP_BIN"] ?? BIN;

export const HAS_SOPS = works(SOPS_BIN, ["--disable-version-check", "--version"]);
export const HAS_AGE = works(AGE_KEYGEN_BIN, ["--version"]);
export const HAS_GPG = works(GPG_BIN, ["--version"]);
export const HAS_SOBRE = existsSync(SOBRE_BIN);

/** SOPS's version line, e.g. "3.13.3". */
export const SOPS_VERSION = HAS_SOPS ? (/(\d+\.\d+\.\d+)/.exec(spawnSync(SOPS_BIN, ["--disable-version-check", "--version"], { encoding: "utf8" }).stdout)?.[1] ?? "?") : "";

/**
 * True when any of `needs` is missing; prints a loud notice naming what is missing
 * and how to get it, so a skipped interop run is never mistaken for a passing one.
 */
export function missingPeers(suite: string, needs: readonly ("sops" | "age" | "gpg")[]): boolean {
  const have = { sops: HAS_SOPS, age: HAS_AGE, gpg: HAS_GPG };
  const missing: string[] = needs.filter((n) => !have[n]);
  if (!HAS_SOBRE) missing.push(`sobre build (${SOBRE_BIN}; run npm run build)`);
  if (missing.length === 0) return false;
  const bar = "!".repeat(78);
  console.warn(
    `\n${bar}\n!! INTEROP SKIPPED: ${suite}\n!! missing peer(s): ${missing.join(", ")}\n` +
      `!! install them with .ci/install-peers.sh (needs a Go toolchain) and re-run npm run test:interop\n${bar}\n`,
  );
  return true;
}
