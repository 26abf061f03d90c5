import { randomBytes } from "node:crypto";
import { EXIT, ExitError, inFile } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { wrapForGroups } from "../keys/groups.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import type { Metadata } from "../metadata/types.js";
import { withEarlyCipherWorker, type CipherWorker } from "../tree/cipher-pool.js";
import { stripLayout } from "../tree/layout.js";
import { lowerLocalTimes } from "../tree/convert-types.js";
import { warnLowered } from "./convert-warning.js";
import { normalizeSelection, type SelectionOptions } from "../tree/selection.js";
import { hasMetadata } from "./sops-document.js";
import { sealFile } from "./seal-file.js";

export interface EncryptOptions {
  input: Uint8Array;
  file: string;
  inputFormat: FormatName;
  outputFormat: FormatName;
  /** Recipients per key group (one group = no Shamir). */
  groups: MasterKey[][];
  shamirThreshold?: number;
  selection?: SelectionOptions;
  macOnlyEncrypted?: boolean;
  indent?: number;
  keyContext: KeyContext;
}

/** Encrypt a plaintext file: new data key, every selected value encrypted, metadata attached. */
export async function encrypt(opts: EncryptOptions): Promise<Uint8Array> {
  // A large file: the cipher worker boots while the file is parsed and the key wrapped.
  return withEarlyCipherWorker(opts.input.length, "plain", (worker) => encryptWith(opts, worker));
}

async function encryptWith(opts: EncryptOptions, worker: CipherWorker | undefined): Promise<Uint8Array> {
  const inFormat = await loadFormat(opts.inputFormat);
  const documents = await inFormat.parse(opts.input, { file: opts.file, mode: "plain" });
  if (hasMetadata(documents)) {
    throw new ExitError(EXIT.FileAlreadyEncrypted, inFile(opts.file, "the file is already encrypted (it has a top-level sops entry)"), {
      hint: "use `sobre edit`, `sobre set` or `sobre rotate` on encrypted files; rename the `sops` key if this is plaintext",
    });
  }
  const outFormat = opts.outputFormat === opts.inputFormat ? inFormat : await loadFormat(opts.outputFormat);
  if (outFormat !== inFormat) {
    stripLayout(documents);
    if (outFormat.name !== "toml") warnLowered(lowerLocalTimes(documents), opts.file, outFormat.name, opts.keyContext.warn);
  }
  const selection = normalizeSelection(opts.selection ?? {});
  const dataKey = randomBytes(32);
  try {
    const keyGroups = await wrapForGroups(dataKey, opts.groups, opts.shamirThreshold ?? 0, opts.keyContext);
    const metadata: Metadata = {
      lastModified: "",
      mac: "",
      version: "",
      selection,
      macOnlyEncrypted: opts.macOnlyEncrypted ?? false,
      shamirThreshold: keyGroups.length > 1 ? opts.shamirThreshold || keyGroups.length : 0,
      keyGroups,
    };
    return sealFile({ documents, metadata, dataKey, format: outFormat, file: opts.file, worker, ...(opts.indent !== undefined ? { indent: opts.indent } : {}) });
  } finally {
    dataKey.fill(0);
  }
}
