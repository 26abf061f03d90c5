import { isAbsolute, resolve as resolvePath } from "node:path";
import { UsageError } from "../errors.js";
import { formatForPath, parseFormatName } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { descriptorFor } from "../keys/registry.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import { createKeyContext } from "../operations/key-context.js";
import { readInputFile, type ReadInputOptions } from "../operations/file-io.js";
import type { SelectionOptions } from "../tree/selection.js";
import type { OptionValues } from "./args.js";
import { RECIPIENT_FLAGS } from "./common-options.js";
import type { CliIO } from "./io.js";

export interface InputFile {
  /** Display name for messages. */
  name: string;
  /** Absolute path, or undefined for stdin. */
  path: string | undefined;
  bytes: Uint8Array;
}

/** Read FILE, or stdin when FILE is absent or `-`. */
export async function readInput(file: string | undefined, io: CliIO, opts?: ReadInputOptions): Promise<InputFile> {
  if (file === undefined || file === "-") return { name: "(stdin)", path: undefined, bytes: await io.readStdin() };
  const path = isAbsolute(file) ? file : resolvePath(io.cwd, file);
  return { name: file, path, bytes: readInputFile(path, opts) };
}

/** Input and output formats: flags, else the extension of `--filename-override` or the file. */
export function resolveFormats(values: OptionValues, file: string | undefined): { input: FormatName; output: FormatName } {
  const nameForDetection = (values["filename-override"] as string | undefined) ?? file ?? "";
  const input = values["input-type"] ? parseFormatName(String(values["input-type"]), "--input-type") : file || values["filename-override"] ? formatForPath(nameForDetection) : undefined;
  if (!input) throw new UsageError("reading stdin needs --input-type", { hint: "add --input-type yaml (or json, toml, dotenv, ini, binary)" });
  const output = values["output-type"] ? parseFormatName(String(values["output-type"]), "--output-type") : input;
  return { input, output };
}

export function resolveSelection(values: OptionValues): SelectionOptions {
  const pick = (name: string): string | undefined => (values[name] as string | undefined) || undefined;
  const out: SelectionOptions = {};
  const map: [keyof SelectionOptions, string][] = [
    ["unencryptedSuffix", "unencrypted-suffix"],
    ["encryptedSuffix", "encrypted-suffix"],
    ["unencryptedRegex", "unencrypted-regex"],
    ["encryptedRegex", "encrypted-regex"],
    ["unencryptedCommentRegex", "unencrypted-comment-regex"],
    ["encryptedCommentRegex", "encrypted-comment-regex"],
  ];
  for (const [prop, flag] of map) {
    const v = pick(flag);
    if (v !== undefined) out[prop] = v;
  }
  return out;
}

/** Recipients named by flags or their environment variables, as one key group. */
export async function recipientsFromFlags(values: OptionValues): Promise<MasterKey[]> {
  const keys: MasterKey[] = [];
  for (const { flag, type } of RECIPIENT_FLAGS) {
    const text = values[flag] as string | undefined;
    if (!text) continue;
    if (type === "kms") {
      // KMS keys carry the encryption context and profile given beside them (SOPS semantics).
      const { parseKmsRefs, parseEncryptionContext } = await import("../keys/aws-kms/index.js");
      const context = values["encryption-context"] ? parseEncryptionContext(String(values["encryption-context"])) : undefined;
      const awsProfile = values["aws-profile"] ? String(values["aws-profile"]) : undefined;
      keys.push(...parseKmsRefs(text, { ...(context ? { context } : {}), ...(awsProfile ? { awsProfile } : {}) }));
      continue;
    }
    const descriptor = descriptorFor(type);
    if (!descriptor) throw new UsageError(`--${flag} is not supported`);
    keys.push(...descriptor.parseRefs(text));
  }
  return keys;
}

/**
 * The key context for a command. Async because `--keyservice` (rare) loads the key
 * service client, which stays out of every other run's start-up.
 */
export async function keyContextFor(values: OptionValues, io: CliIO, warn: (m: string) => void): Promise<KeyContext> {
  const ctx = createKeyContext({
    env: io.env,
    cwd: io.cwd,
    warn,
    ...(values["aws-profile"] ? { awsProfile: String(values["aws-profile"]) } : {}),
  });
  // `--keyservice` / `--enable-local-keyservice=false`: route wrap/unwrap like SOPS does.
  const uris = (values["keyservice"] as string[] | undefined) ?? [];
  const local = values["enable-local-keyservice"] !== false;
  if (uris.length === 0 && local) return ctx;
  const { createKeyServiceRouter } = await import("../keyservice/client.js");
  return { ...ctx, keyServices: createKeyServiceRouter({ uris, local }) };
}

export function decryptionOrder(values: OptionValues): string[] | undefined {
  const v = values["decryption-order"] as string | undefined;
  return v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
}

/** What every command that opens an encrypted file takes from the command line. */
export interface OpenFlags {
  keyContext: KeyContext;
  ignoreMac: boolean;
  decryptionOrder?: string[];
}

/** `--ignore-mac`, `--decryption-order` and the key context, in one place. */
export async function openFlags(values: OptionValues, io: CliIO, warn: (m: string) => void): Promise<OpenFlags> {
  const order = decryptionOrder(values);
  return {
    keyContext: await keyContextFor(values, io, warn),
    ignoreMac: !!values["ignore-mac"],
    ...(order ? { decryptionOrder: order } : {}),
  };
}
