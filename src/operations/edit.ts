import { randomBytes } from "node:crypto";
import { EXIT, ExitError, FormatError, SobreError, inFile } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { Format, FormatName } from "../formats/types.js";
import { wrapForGroups } from "../keys/groups.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import type { Metadata } from "../metadata/types.js";
import type { IvMemory } from "../tree/cipher-jobs.js";
import { normalizeSelection, type SelectionOptions } from "../tree/selection.js";
import type { MapNode } from "../tree/types.js";
import { newFileTemplate } from "./new-file-template.js";
import { openEncryptedFile } from "./open-file.js";
import { sealFile } from "./seal-file.js";
import { attachMetadata, detachMetadata, hasMetadata } from "./sops-document.js";

/** Recipients and options for a file that does not exist yet. */
export interface NewFileSettings {
  groups: MasterKey[][];
  shamirThreshold: number;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
}

/** The editor, as the operation sees it: no processes or signals here. */
export interface EditorHandle {
  /** Run the editor on the temp file; resolves with the saved content. */
  edit(): Promise<Uint8Array>;
}

export interface EditOptions {
  /** The file's bytes, or undefined when it does not exist yet. */
  input: Uint8Array | undefined;
  /** For messages. */
  file: string;
  format: FormatName;
  keyContext: KeyContext;
  ignoreMac?: boolean;
  decryptionOrder?: readonly string[];
  indent?: number;
  /** Show the `sops` block while editing (changes to it are ignored). */
  showMasterKeys?: boolean;
  /** Settings for a new file (flags, else `.sops.yaml`). Called only when `input` is undefined. */
  newFile: () => Promise<NewFileSettings>;
  /** Write `initial` to a private temp file and let `use` run the editor on it. */
  withEditor: <T>(initial: Uint8Array, use: (editor: EditorHandle) => Promise<T>) => Promise<T>;
  /** After an invalid edit: resolve true to reopen the editor, false to give up (the error is thrown). */
  onInvalid: (error: SobreError) => Promise<boolean>;
}

interface Session {
  format: Format;
  documents: MapNode[];
  metadata: Metadata;
  dataKey: Uint8Array;
  ivMemory?: IvMemory;
  initial: Uint8Array;
}

/**
 * `sobre edit`: decrypt to the editor, re-encrypt what comes back under the same data
 * key, reusing the IVs of unchanged values so their ciphertext stays byte-identical.
 * An unchanged file is SOPS's exit 200 and nothing is written. A missing file starts
 * from a template and the settings of `newFile`.
 */
export async function editFile(opts: EditOptions): Promise<Uint8Array> {
  const session = opts.input ? await openSession(opts, opts.input) : await newSession(opts);
  try {
    const documents = await opts.withEditor(session.initial, async (editor) => {
      for (;;) {
        const edited = await editor.edit();
        if (Buffer.from(edited).equals(Buffer.from(session.initial))) {
          throw new ExitError(EXIT.FileHasNotBeenModified, inFile(opts.file, "file has not been modified"), { hint: "nothing was written" });
        }
        try {
          return await parseEdited(session.format, edited, opts);
        } catch (err) {
          if (err instanceof SobreError && (await opts.onInvalid(err))) continue;
          throw err;
        }
      }
    });
    return sealFile({
      documents,
      metadata: session.metadata,
      dataKey: session.dataKey,
      format: session.format,
      file: opts.file,
      ...(session.ivMemory ? { ivMemory: session.ivMemory } : {}),
      ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
    });
  } finally {
    session.dataKey.fill(0);
  }
}

async function openSession(opts: EditOptions, input: Uint8Array): Promise<Session> {
  const opened = await openEncryptedFile({
    input,
    file: opts.file,
    format: opts.format,
    keyContext: opts.keyContext,
    ...(opts.ignoreMac !== undefined ? { ignoreMac: opts.ignoreMac } : {}),
    ...(opts.decryptionOrder ? { decryptionOrder: opts.decryptionOrder } : {}),
  });
  const ctx = { file: opts.file, ...(opts.indent !== undefined ? { indent: opts.indent } : {}) };
  let initial: Uint8Array;
  if (opts.showMasterKeys) {
    attachMetadata(opened.documents, opened.metadata);
    initial = opened.format.emit(opened.documents, ctx);
    detachMetadata(opened.documents, opts.file);
  } else initial = opened.format.emit(opened.documents, ctx);
  return { ...opened, initial };
}

async function newSession(opts: EditOptions): Promise<Session> {
  const settings = await opts.newFile();
  const format = await loadFormat(opts.format);
  const dataKey = randomBytes(32);
  try {
    const keyGroups = await wrapForGroups(dataKey, settings.groups, settings.shamirThreshold, opts.keyContext);
    const metadata: Metadata = {
      lastModified: "",
      mac: "",
      version: "",
      selection: normalizeSelection(settings.selection),
      macOnlyEncrypted: settings.macOnlyEncrypted,
      shamirThreshold: keyGroups.length > 1 ? settings.shamirThreshold || keyGroups.length : 0,
      keyGroups,
    };
    return { format, documents: [], metadata, dataKey, initial: Buffer.from(newFileTemplate(opts.format), "utf8") };
  } catch (err) {
    dataKey.fill(0);
    throw err;
  }
}

/** Parse what the editor saved; reject what cannot be encrypted (SOPS validateFileForEncryption). */
async function parseEdited(format: Format, edited: Uint8Array, opts: EditOptions): Promise<MapNode[]> {
  const documents = await format.parse(edited, { file: opts.file, mode: opts.showMasterKeys ? "encrypted" : "plain" });
  if (opts.showMasterKeys && hasMetadata(documents)) detachMetadata(documents, opts.file);
  else if (hasMetadata(documents)) {
    throw new FormatError(inFile(opts.file, "the edited file has a top-level `sops` key, which is reserved for the metadata"), { hint: "rename or remove the `sops` key" });
  }
  if (documents.length === 0) {
    throw new ExitError(EXIT.NeedAtLeastOneDocument, inFile(opts.file, "the edited file is empty"), { hint: "a file needs at least one document to encrypt" });
  }
  return documents;
}
