import type { OptionSpec } from "./args.js";

/** Options shared by every command that reads or writes a SOPS file (SOPS's flag names). */
export const IO_OPTIONS: readonly OptionSpec[] = [
  { name: "input-type", type: "string", placeholder: "TYPE", description: "input format: yaml, json, toml, dotenv, ini, binary (default: by extension)" },
  { name: "output-type", type: "string", placeholder: "TYPE", description: "output format (default: the input format)" },
  { name: "filename-override", type: "string", placeholder: "PATH", description: "use this path for format detection and .sops.yaml rule matching" },
  { name: "indent", type: "number", placeholder: "N", description: "indentation of YAML/JSON output" },
  { name: "config", type: "string", placeholder: "PATH", env: "SOPS_CONFIG", description: "path to .sops.yaml (default: searched upward from the current directory)" },
  { name: "verbose", type: "boolean", description: "log what sobre does (never values or keys)" },
  { name: "keyservice", type: "strings", placeholder: "URI", env: "SOPS_KEYSERVICE", description: "key service to use (tcp://host:port or unix:///path), repeatable" },
  { name: "enable-local-keyservice", type: "boolean", env: "SOPS_ENABLE_LOCAL_KEYSERVICE", description: "use local keys as well as --keyservice ones (default true)" },
];

export const DECRYPT_OPTIONS: readonly OptionSpec[] = [
  { name: "ignore-mac", type: "boolean", description: "do not fail when the MAC does not match (for recovering a file you trust)" },
  { name: "decryption-order", type: "string", env: "SOPS_DECRYPTION_ORDER", placeholder: "TYPES", description: "comma-separated key types to try first (default: age,pgp)" },
];

export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { name: "in-place", aliases: ["i"], type: "boolean", description: "write the result over the input file (atomically)" },
  { name: "output", type: "string", placeholder: "PATH", description: "write the result to this file (atomically) instead of stdout" },
];

/** Recipient flags: flag name → key type, with SOPS's environment variables. */
export const RECIPIENT_FLAGS: readonly { flag: string; type: string }[] = [
  { flag: "age", type: "age" },
  { flag: "pgp", type: "pgp" },
  { flag: "kms", type: "kms" },
  { flag: "gcp-kms", type: "gcp_kms" },
  { flag: "azure-kv", type: "azure_kv" },
  { flag: "hc-vault-transit", type: "hc_vault" },
];

export const RECIPIENT_OPTIONS: readonly OptionSpec[] = [
  { name: "age", aliases: ["a"], type: "string", env: "SOPS_AGE_RECIPIENTS", placeholder: "RECIPIENTS", description: "comma-separated age recipients (age1…, age1pq1…, ssh-ed25519 …)" },
  { name: "pgp", aliases: ["p"], type: "string", env: "SOPS_PGP_FP", placeholder: "FPS", description: "comma-separated PGP fingerprints" },
  { name: "kms", aliases: ["k"], type: "string", env: "SOPS_KMS_ARN", placeholder: "ARNS", description: "comma-separated AWS KMS key ARNs (ARN+ROLE_ARN to assume a role)" },
  { name: "gcp-kms", type: "string", env: "SOPS_GCP_KMS_IDS", placeholder: "IDS", description: "comma-separated GCP KMS resource ids" },
  { name: "azure-kv", type: "string", env: "SOPS_AZURE_KEYVAULT_URLS", placeholder: "URLS", description: "comma-separated Azure Key Vault key URLs" },
  { name: "hc-vault-transit", type: "string", env: "SOPS_VAULT_URIS", placeholder: "URIS", description: "comma-separated Vault transit key URIs" },
  { name: "aws-profile", type: "string", placeholder: "NAME", description: "AWS profile for KMS keys" },
  { name: "encryption-context", type: "string", placeholder: "K:V,…", description: "AWS KMS encryption context for new KMS keys" },
  { name: "shamir-secret-sharing-threshold", type: "number", placeholder: "N", description: "number of key groups needed to decrypt" },
];

export const SELECTION_OPTIONS: readonly OptionSpec[] = [
  { name: "unencrypted-suffix", type: "string", placeholder: "SUFFIX", description: "leave values whose key ends with SUFFIX in clear (default _unencrypted)" },
  { name: "encrypted-suffix", type: "string", placeholder: "SUFFIX", description: "encrypt only values whose key ends with SUFFIX" },
  { name: "unencrypted-regex", type: "string", placeholder: "RE", description: "leave values whose key matches RE in clear" },
  { name: "encrypted-regex", type: "string", placeholder: "RE", description: "encrypt only values whose key matches RE" },
  { name: "unencrypted-comment-regex", type: "string", placeholder: "RE", description: "leave values after a comment matching RE in clear" },
  { name: "encrypted-comment-regex", type: "string", placeholder: "RE", description: "encrypt only values after a comment matching RE" },
  { name: "mac-only-encrypted", type: "boolean", description: "compute the MAC over encrypted values only" },
];
