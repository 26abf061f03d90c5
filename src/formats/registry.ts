import { UsageError } from "../errors.js";
import { assertNesting } from "../tree/nesting.js";
import type { Format, FormatName } from "./types.js";

/** Each format module loads only when a file needs it. */
const LOADERS: Record<FormatName, () => Promise<Format>> = {
  yaml: async () => (await import("./yaml/index.js")).yamlFormat,
  json: async () => (await import("./json/index.js")).jsonFormat,
  toml: async () => (await import("./toml/index.js")).tomlFormat,
  dotenv: async () => (await import("./dotenv/index.js")).dotenvFormat,
  ini: async () => (await import("./ini/index.js")).iniFormat,
  binary: async () => (await import("./binary/index.js")).binaryFormat,
};

export const FORMAT_NAMES = Object.keys(LOADERS) as FormatName[];

const EXTENSIONS: Record<string, FormatName> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "json",
  ".toml": "toml",
  ".env": "dotenv",
  ".ini": "ini",
};

/** Validate a `--input-type`/`--output-type` value. Unknown names are an error, not binary. */
export function parseFormatName(name: string, flag: string): FormatName {
  if ((FORMAT_NAMES as string[]).includes(name)) return name as FormatName;
  throw new UsageError(`unknown ${flag} "${name}"`, { hint: `use one of: ${FORMAT_NAMES.join(", ")}` });
}

/**
 * The format for a path, by case-sensitive extension as SOPS does; anything else is the
 * binary store (so `.txt`, `.pem` … are encrypted whole, as SOPS users expect).
 */
export function formatForPath(path: string): FormatName {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (base === ".env" || base.endsWith(".env")) return "dotenv";
  const dot = base.lastIndexOf(".");
  if (dot < 0) return "binary";
  return EXTENSIONS[base.slice(dot)] ?? "binary";
}

const loaded = new Map<FormatName, Promise<Format>>();

/**
 * The format module for `name`. Its `parse` is wrapped with an iterative depth check,
 * so no tree deeper than MAX_NESTING reaches the recursive walker and emitters, whatever
 * the format's parser built (the same object is returned on every call).
 */
export function loadFormat(name: FormatName): Promise<Format> {
  let format = loaded.get(name);
  if (!format) {
    format = LOADERS[name]().then((f) => withDepthCheck(f));
    loaded.set(name, format);
    format.catch(() => loaded.delete(name));
  }
  return format;
}

function withDepthCheck(format: Format): Format {
  // The JSON parser counts every level itself and refuses what the walk would (one fewer
  // full-tree walk on a 100k-value file).
  if (format.name === "json") return format;
  return {
    name: format.name,
    emit: (documents, ctx) => format.emit(documents, ctx),
    emitValue: (node, ctx) => format.emitValue(node, ctx),
    ...(format.prepare ? { prepare: format.prepare.bind(format) } : {}),
    parse: async (input, ctx) => {
      const documents = await format.parse(input, ctx);
      assertNesting(documents, ctx.file);
      return documents;
    },
  };
}
