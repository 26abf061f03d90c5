/**
 * Fast-path entry: UTF-8 text → one MapNode per document, with layout in `src`.
 * Throws `Unsupported` for constructs left to the `yaml` package fallback.
 */
import type { MapNode } from "../../tree/types.js";
import { Cursor } from "./cursor.js";
import { parseDocuments } from "./document-parser.js";
import { snapshot } from "./snapshot.js";
import type { FileSrc } from "./src-types.js";

/** Parse decoded text (without BOM). */
export function parseFast(text: string, fileName: string, bom = false): MapNode[] {
  const c = new Cursor(text, fileName);
  const lf = text.indexOf("\n");
  const eol = lf > 0 && text.charCodeAt(lf - 1) === 13 ? "\r\n" : "\n";
  const file: FileSrc = { text, bom, eol, docs: [], indentStep: undefined, indentedSeqs: undefined };
  const docs = parseDocuments(c, file);
  for (const doc of docs) snapshot(doc);
  file.docs.push(...docs);
  return docs;
}
