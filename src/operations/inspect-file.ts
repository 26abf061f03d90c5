import { IntegrityError, KeyAccessError, SobreError } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import type { RuleSet } from "../git/rules.js";
import { detectFormat } from "../git/sniff.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import type { Metadata, StoredKey } from "../metadata/types.js";
import { openEncryptedFile } from "./open-file.js";
import { detachMetadata } from "./sops-document.js";

/** What status/check know about one file. */
export interface FileReport {
  /** As shown (relative to where the command ran). */
  path: string;
  /** The creation rule that applies, if any. */
  rule?: { index: number; line: number; pathRegex?: string };
  /** A rule with a `path_regex` matches: the file must be encrypted. */
  mustBeEncrypted: boolean;
  encrypted: boolean;
  format?: FormatName;
  lastModified?: string;
  /** Recipients the rule names but the file lacks, and the reverse. */
  recipients?: { missing: string[]; extra: string[] };
  mac: "ok" | "mismatch" | "not checked (no key)" | "not checked" | "n/a";
  /** Drift, one line each; empty = in order. */
  problems: string[];
}

export interface InspectOptions {
  bytes: Uint8Array;
  absPath: string;
  display: string;
  rules: RuleSet | undefined;
  /** Decrypt to verify the MAC (needs a key; a missing key is reported, not an error). */
  verifyMac: boolean;
  keyContext: KeyContext;
  decryptionOrder?: readonly string[];
}

/**
 * Inspect a file against the creation rules. Undefined when it does not concern us:
 * neither encrypted nor matched by a rule's `path_regex` (a catch-all rule says which
 * keys to use, not that every file in the repository must be encrypted).
 */
export async function inspectFile(opts: InspectOptions): Promise<FileReport | undefined> {
  const covering = opts.rules?.ruleFor(opts.absPath);
  const format = detectFormat(opts.bytes, opts.absPath);
  const mustBeEncrypted = !!covering?.pathRegex;
  if (!format && !mustBeEncrypted) return undefined;
  const report: FileReport = {
    path: opts.display,
    ...(covering ? { rule: { index: covering.index, line: covering.line, ...(covering.pathRegex ? { pathRegex: covering.pathRegex } : {}) } } : {}),
    mustBeEncrypted,
    encrypted: !!format,
    mac: "n/a",
    problems: [],
  };
  if (!format) {
    report.problems.push(`not encrypted, but ${opts.rules!.display} creation rule #${covering!.index + 1} (path_regex ${JSON.stringify(covering!.pathRegex)}) requires it`);
    return report;
  }
  report.format = format;
  let metadata: Metadata;
  try {
    const fmt = await loadFormat(format);
    metadata = detachMetadata(await fmt.parse(opts.bytes, { file: opts.display, mode: "encrypted" }), opts.display);
  } catch (err) {
    report.problems.push(`unreadable SOPS metadata: ${err instanceof SobreError ? err.message : "parse error"}`);
    return report;
  }
  report.lastModified = metadata.lastModified;
  if (covering) {
    report.recipients = compareRecipients(metadata.keyGroups, covering.groups);
    const { missing, extra } = report.recipients;
    if (missing.length > 0 || extra.length > 0) {
      const parts = [missing.length > 0 && `missing ${missing.join(", ")}`, extra.length > 0 && `extra ${extra.join(", ")}`].filter(Boolean);
      report.problems.push(`recipients differ from creation rule #${covering.index + 1}: ${parts.join("; ")}`);
    }
  }
  report.mac = opts.verifyMac ? await checkMac(opts, format) : "not checked";
  if (report.mac === "mismatch") report.problems.push("MAC mismatch: values were changed outside sobre/sops");
  return report;
}

async function checkMac(opts: InspectOptions, format: FormatName): Promise<FileReport["mac"]> {
  try {
    const opened = await openEncryptedFile({
      input: opts.bytes,
      file: opts.display,
      format,
      keyContext: opts.keyContext,
      ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
    });
    opened.dataKey.fill(0);
    return "ok";
  } catch (err) {
    if (err instanceof KeyAccessError) return "not checked (no key)";
    if (err instanceof IntegrityError) return "mismatch";
    throw err;
  }
}

/** Normalised identity: PGP fingerprints compare without spaces and case. */
function idOf(type: string, id: string): string {
  const clean = type === "pgp" ? id.replace(/\s+/g, "").toUpperCase() : id.trim();
  return `${type}:${clean}`;
}

function storedId(k: StoredKey): string {
  if (k.wrapped) return idOf(k.type, k.wrapped.key.id);
  const r = k.record;
  const guess = r["recipient"] ?? r["fp"] ?? r["arn"] ?? r["resource_id"] ?? r["key_id"] ?? JSON.stringify(r);
  return idOf(k.type, String(guess));
}

/** Per group (by position): rule ids the file lacks, file ids the rule does not name. */
export function compareRecipients(file: readonly (readonly StoredKey[])[], rule: readonly (readonly MasterKey[])[]): { missing: string[]; extra: string[] } {
  const missing: string[] = [];
  const extra: string[] = [];
  const n = Math.max(file.length, rule.length);
  for (let g = 0; g < n; g++) {
    const have = new Set((file[g] ?? []).map(storedId));
    const want = new Set((rule[g] ?? []).map((k) => idOf(k.type, k.id)));
    const label = n > 1 ? `group ${g + 1} ` : "";
    for (const id of want) if (!have.has(id)) missing.push(label + id);
    for (const id of have) if (!want.has(id)) extra.push(label + id);
  }
  return { missing, extra };
}
