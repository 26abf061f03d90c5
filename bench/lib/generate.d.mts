/** Types for generate.mjs (benchmark and binary-test documents). */
export declare const VALUES_PER_RECORD: number;
export declare const EXTENSIONS: Record<"yaml" | "json" | "toml" | "dotenv", string>;
export declare const FORMATS: ("yaml" | "json" | "toml" | "dotenv")[];
/** A document with exactly `values` leaf values in `format` (a multiple of 10). */
export declare function generateDocument(format: "yaml" | "json" | "toml" | "dotenv", values: number, seed?: number): string;
