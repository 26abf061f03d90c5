import { KeyAccessError } from "../errors.js";
import {
  classifyNetworkError,
  NetworkTimeoutError,
  type ClassifiedNetworkError,
  type NetworkService,
} from "./network-errors.js";
import type { MasterKey } from "./types.js";

/**
 * Timeout and retry policy shared by the network key clients. SDK-level retries are
 * switched off in each client so this is the single place that decides, and every
 * service behaves the same: bounded attempts, exponential backoff, no retry on 4xx.
 */
export interface CallPolicy {
  /** Per-attempt limit. `SOBRE_KMS_TIMEOUT` (seconds, decimals allowed); default 30 s. */
  readonly timeoutMs: number;
  /** Extra attempts after the first, for retryable failures. `SOBRE_KMS_RETRIES`; default 2. */
  readonly retries: number;
  /** First backoff delay; doubles each retry, with jitter, capped at 5 s. */
  readonly baseDelayMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

/** Read the call policy from the environment (`SOBRE_KMS_TIMEOUT`, `SOBRE_KMS_RETRIES`). */
export function callPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): CallPolicy {
  const seconds = Number(env.SOBRE_KMS_TIMEOUT);
  const retries = Number(env.SOBRE_KMS_RETRIES);
  return {
    timeoutMs: env.SOBRE_KMS_TIMEOUT && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_TIMEOUT_MS,
    retries: env.SOBRE_KMS_RETRIES && Number.isInteger(retries) && retries >= 0 ? Math.min(retries, 10) : DEFAULT_RETRIES,
    baseDelayMs: BASE_DELAY_MS,
  };
}

/**
 * Run `op` with a per-attempt timeout (its AbortSignal fires, and the attempt is
 * abandoned even if the SDK ignores the signal) and retry retryable failures.
 * Rejects with the last underlying error, or a {@link NetworkTimeoutError}.
 */
export async function callWithRetry<T>(
  op: (signal: AbortSignal) => Promise<T>,
  service: NetworkService,
  policy: CallPolicy,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptWithTimeout(op, policy.timeoutMs);
    } catch (err) {
      const classified = classifyNetworkError(err, service);
      if (!classified.retryable || attempt >= policy.retries) throw err;
      const delay = Math.min(MAX_DELAY_MS, policy.baseDelayMs * 2 ** attempt);
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

async function attemptWithTimeout<T>(op: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new NetworkTimeoutError(timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    const attempt = op(controller.signal);
    // A late rejection from an abandoned attempt must not become an unhandled rejection.
    attempt.catch(() => undefined);
    return await Promise.race([attempt, timeout]);
  } catch (err) {
    if (controller.signal.aborted) throw controller.signal.reason as Error;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What a network key client was doing when it failed, for the message. */
export interface FailureContext {
  readonly service: NetworkService;
  /** e.g. "AWS KMS". */
  readonly label: string;
  readonly key: MasterKey;
  readonly action: "wrap" | "unwrap" | "resolve";
}

/**
 * Turn any failure into a KeyAccessError for this one key, with the classified reason
 * and hint (the operation layer collects these per key).
 */
export function keyFailure(err: unknown, context: FailureContext): KeyAccessError {
  if (err instanceof KeyAccessError) return err;
  const c: ClassifiedNetworkError = classifyNetworkError(err, context.service);
  const what = { wrap: "encrypt the data key", unwrap: "decrypt the data key", resolve: "look up the key" }[context.action];
  return new KeyAccessError(
    `${context.label} key ${context.key.id}: could not ${what}: ${c.reason}`,
    [{ key: context.key.id, type: context.key.type, reason: c.reason, hint: c.hint }],
    { hint: c.hint, cause: err },
  );
}

/** A local problem with a key (bad field, bad ciphertext text): no network involved. */
export function keyProblem(context: FailureContext, reason: string, hint: string): KeyAccessError {
  return new KeyAccessError(
    `${context.label} key ${context.key.id}: ${reason}`,
    [{ key: context.key.id, type: context.key.type, reason, hint }],
    { hint },
  );
}
