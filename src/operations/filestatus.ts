import { FormatError } from "../errors.js";
import { loadFormat } from "../formats/registry.js";
import type { FormatName } from "../formats/types.js";
import { readMetadata } from "../metadata/read.js";

/** SOPS's `filestatus` result, serialized as `{"encrypted":true}`. */
export interface FileStatus {
  encrypted: boolean;
}

/**
 * Is this a SOPS-encrypted file? True when it has a top-level `sops` block with a version
 * and a MAC (SOPS's rule). A binary-store file that is not SOPS's JSON envelope is simply
 * not encrypted; other parse errors are reported.
 */
export async function fileStatus(input: Uint8Array, file: string, formatName: FormatName): Promise<FileStatus> {
  const format = await loadFormat(formatName);
  let documents;
  try {
    documents = await format.parse(input, { file, mode: "encrypted" });
  } catch (err) {
    if (formatName === "binary" && err instanceof FormatError) return { encrypted: false };
    throw err;
  }
  const entry = documents[0]?.items.find((i) => i.kind === "entry" && i.key === "sops");
  if (!entry || entry.kind !== "entry" || entry.value.kind !== "map") return { encrypted: false };
  const metadata = readMetadata(entry.value, file);
  return { encrypted: metadata.version !== "" && metadata.mac !== "" };
}
