import { EXIT, FormatError, SobreError, UsageError } from "../../errors.js";
import type { RawRecord } from "../../metadata/raw.js";
import { entryRecord, fieldOf, splitRefs, stringField } from "../network-record.js";
import type { KeyDescriptor, KeySourceClient, MasterKey } from "../types.js";

/** SOPS's ARN pattern: key or alias ARN in any partition; group 1 is the region. */
const ARN_RE = /^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)\/.+$/;

/** Options that SOPS attaches to every key made from a `--kms` list. */
export interface KmsRefOptions {
  /** Encryption context (`--encryption-context`, `.sops.yaml` `aws_kms[].context`). */
  readonly context?: Readonly<Record<string, string>>;
  /** `--aws-profile` / `aws_profile`; written to the file (even when empty). */
  readonly awsProfile?: string;
}

/** The typed fields of a `kms` master key. */
export interface KmsKeyFields {
  readonly arn: string;
  readonly role: string;
  readonly context: Readonly<Record<string, string>>;
  readonly awsProfile: string;
}

/**
 * Parse `--encryption-context` text: `key:value,key2:value2`. Throws a SobreError with
 * SOPS's exit code 6 on a malformed pair (SOPS only warns and drops the whole context,
 * which silently produces keys nobody can decrypt with the intended context).
 */
export function parseEncryptionContext(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text.trim() === "") return out;
  for (const pair of text.split(",")) {
    const parts = pair.split(":");
    if (parts.length !== 2 || parts[0] === "") {
      throw new SobreError("kms-context", `invalid encryption context pair ${JSON.stringify(pair)}`, EXIT.ErrorInvalidKMSEncryptionContextFormat, {
        hint: "use --encryption-context key:value,key2:value2 (no ':' or ',' inside keys or values)",
      });
    }
    out[parts[0] as string] = parts[1] as string;
  }
  return out;
}

/** The region of a KMS key ARN, or undefined when the ARN is not valid. */
export function regionOfArn(arn: string): string | undefined {
  return ARN_RE.exec(arn)?.[1];
}

/** Build a `kms` master key, validating the ARN. Throws UsageError. */
export function makeKmsKey(fields: KmsKeyFields): MasterKey {
  if (!ARN_RE.test(fields.arn)) {
    throw new UsageError(`invalid AWS KMS key ARN ${JSON.stringify(fields.arn)}`, {
      hint: "use arn:aws:kms:REGION:ACCOUNT:key/ID or arn:aws:kms:REGION:ACCOUNT:alias/NAME, optionally +arn:aws:iam::ACCOUNT:role/ROLE",
    });
  }
  return { type: "kms", id: kmsKeyId(fields), fields: makeRecordLoose(fields) };
}

/** SOPS's `ToString`: `arn[+role][|context][|profile]`, stable across runs (context sorted). */
function kmsKeyId(f: KmsKeyFields): string {
  const arnRole = f.role ? `${f.arn}+${f.role}` : f.arn;
  const ctx = Object.keys(f.context)
    .sort()
    .map((k) => `${k}:${f.context[k]}`)
    .join(",");
  if (f.awsProfile) return `${arnRole}|${ctx}|${f.awsProfile}`;
  return ctx ? `${arnRole}|${ctx}` : arnRole;
}

/** Parse a `--kms` list: `ARN[+ROLE_ARN],…`, each key getting `options`. Throws UsageError. */
export function parseKmsRefs(input: string, options: KmsRefOptions = {}): MasterKey[] {
  return splitRefs(input).map((ref) => {
    const roleAt = ref.indexOf("+arn:");
    const arn = roleAt > 0 ? ref.slice(0, roleAt) : ref;
    const role = roleAt > 0 ? ref.slice(roleAt + 1) : "";
    return makeKmsKey({ arn, role, context: options.context ?? {}, awsProfile: options.awsProfile ?? "" });
  });
}

/** Read the typed fields back from a master key made by this module. */
export function kmsFieldsOf(key: MasterKey): KmsKeyFields {
  const f = key.fields;
  const context = (f.context && typeof f.context === "object" && !Array.isArray(f.context) ? f.context : {}) as Record<string, string>;
  return {
    arn: String(f.arn ?? ""),
    role: typeof f.role === "string" ? f.role : "",
    context,
    awsProfile: typeof f.aws_profile === "string" ? f.aws_profile : "",
  };
}

function contextFromRecord(record: RawRecord): Record<string, string> {
  const raw = fieldOf(record, "context");
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new FormatError("sops metadata: kms entry field context must be a map", { hint: "the file's sops metadata is damaged; restore it from version control" });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || typeof v === "object") {
      throw new FormatError(`sops metadata: kms entry context value for ${JSON.stringify(k)} must be a string`);
    }
    out[k] = String(v);
  }
  return out;
}

/** AWS KMS (`kms` entries): light half; the SDK loads only through `load()`. */
export const descriptor: KeyDescriptor = {
  type: "kms",
  label: "AWS KMS",
  offline: false,
  hasCreatedAt: true,
  parseRefs: (input) => parseKmsRefs(input),
  fromRecord(record) {
    const arn = stringField(record, "arn", "kms", true) as string;
    const fields: KmsKeyFields = {
      arn,
      role: stringField(record, "role", "kms") ?? "",
      context: contextFromRecord(record),
      awsProfile: stringField(record, "aws_profile", "kms") ?? "",
    };
    // An invalid ARN read from a file fails at unwrap time (like SOPS), not at load.
    return { type: "kms", id: kmsKeyId(fields), fields: makeRecordLoose(fields) };
  },
  toRecord(wrapped) {
    const f = kmsFieldsOf(wrapped.key);
    const identifying: RawRecord = { arn: f.arn, aws_profile: f.awsProfile };
    if (Object.keys(f.context).length > 0) identifying.context = sortContext(f.context);
    if (f.role) identifying.role = f.role;
    return entryRecord(wrapped, identifying);
  },
  load: async (): Promise<KeySourceClient> => (await import("./client.js")).client,
};

function makeRecordLoose(f: KmsKeyFields): RawRecord {
  const record: RawRecord = { arn: f.arn, aws_profile: f.awsProfile };
  if (Object.keys(f.context).length > 0) record.context = { ...f.context };
  if (f.role) record.role = f.role;
  return record;
}

function sortContext(ctx: Readonly<Record<string, string>>): RawRecord {
  const out: RawRecord = {};
  for (const k of Object.keys(ctx).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) out[k] = ctx[k] as string;
  return out;
}
