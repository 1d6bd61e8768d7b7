import { SwitchyardError, type ProviderErrorKind } from '../errors/index.js';
import type { Usage } from '../models/types.js';
import type { Fault, ScriptRequestInfo, UsageFigure } from './script.js';

/** Random faults: each request fails with probability `rate`, the fault drawn from `kinds`; same seed, same faults. */
export interface RandomFaults {
  /** Probability in [0, 1] that a request fails. */
  rate: number;
  /**
   * The faults to draw from, uniformly. A number is shorthand for an HTTP error with that status.
   * @default [500, 503, 429]
   */
  kinds?: ReadonlyArray<Fault | number>;
  /**
   * Seed of the generator. The draw for a request depends only on the seed and the request's index.
   * @default 1
   */
  seed?: number;
}

/**
 * Which requests fail and how: a list applied by request index (0 is the first request; `undefined` entries and
 * indexes past the end succeed), a function of the request, or random faults with a seed.
 */
export type FaultPlan =
  | ReadonlyArray<Fault | undefined | null>
  | ((info: ScriptRequestInfo) => Fault | undefined)
  | RandomFaults;

const DEFAULT_KINDS: readonly number[] = [500, 503, 429];

/** A uniform draw in [0, 1) that depends only on (seed, index, salt): a mulberry32 step over a mixed state. */
export function seededUnit(seed: number, index: number, salt = 0): number {
  let t = (seed ^ Math.imul(index + 1, 0x9e3779b9) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  let r = Math.imul(t ^ (t >>> 15), t | 1);
  r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
  return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
}

function randomFault(plan: RandomFaults, index: number): Fault | undefined {
  if (!(plan.rate >= 0 && plan.rate <= 1)) {
    throw new SwitchyardError({
      kind: 'invalid_config',
      message: `simulated({ faults: { rate } }) needs a rate between 0 and 1; got ${plan.rate}.`,
    });
  }
  const seed = plan.seed ?? 1;
  if (seededUnit(seed, index, 0) >= plan.rate) return undefined;
  const kinds = plan.kinds !== undefined && plan.kinds.length > 0 ? plan.kinds : DEFAULT_KINDS;
  const kind = kinds[Math.floor(seededUnit(seed, index, 1) * kinds.length)] ?? 500;
  return typeof kind === 'number' ? { type: 'http', status: kind } : kind;
}

/** The fault the plan assigns to this request, if any. */
export function faultFor(plan: FaultPlan | undefined, info: ScriptRequestInfo): Fault | undefined {
  if (plan === undefined) return undefined;
  if (typeof plan === 'function') return plan(info);
  if (Array.isArray(plan)) return (plan as ReadonlyArray<Fault | undefined | null>)[info.index] ?? undefined;
  return randomFault(plan as RandomFaults, info.index);
}

/** The kind a provider adapter gives an HTTP status (the same table as the real adapters). */
export function kindForHttpStatus(status: number, message = '', code = ''): ProviderErrorKind {
  if (status === 400 || status === 422) {
    return /context|too long|too many tokens/i.test(message) ? 'context_length' : 'bad_request';
  }
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) return /insufficient_quota|billing/i.test(`${code} ${message}`) ? 'quota' : 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500 || status === 409) return 'server';
  return 'bad_request';
}

/** `retryAfterMs` as given, else `retryAfter` read as seconds or an HTTP date. */
export function retryAfterOf(
  fault: { retryAfter?: string; retryAfterMs?: number },
  now = Date.now(),
): number | undefined {
  if (fault.retryAfterMs !== undefined) return fault.retryAfterMs;
  const value = fault.retryAfter?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Where a simulated failure happened, for error messages and fields. */
export interface FaultSite {
  provider: string;
  model: string;
  index: number;
}

/** The error an HTTP fault becomes: the kind, status and Retry-After a real adapter would report. */
export function httpFaultError(fault: Extract<Fault, { type: 'http' }>, site: FaultSite): SwitchyardError {
  const kind = kindForHttpStatus(fault.status, fault.message, fault.code);
  return new SwitchyardError({
    kind,
    status: fault.status,
    retryAfterMs: retryAfterOf(fault),
    requestId: `sim_req_${site.index}`,
    provider: site.provider,
    model: site.model,
    message:
      `Simulated HTTP ${fault.status} (${kind}) from endpoint '${site.provider}' for model ${site.model}` +
      `${fault.message ? `: ${fault.message}` : ''} (a fault injected by the test).`,
  });
}

/** The error for a stream that stopped without a finish: a cut connection or an empty 200. */
export function streamFaultError(fault: Fault, site: FaultSite, chunks: number): SwitchyardError {
  if (fault.type === 'malformed') {
    return new SwitchyardError({
      kind: 'server',
      retryable: true,
      provider: site.provider,
      model: site.model,
      message:
        `Simulated malformed stream data from endpoint '${site.provider}' for model ${site.model} ` +
        `after ${chunks} chunk(s).`,
    });
  }
  const what =
    fault.type === 'empty' ? 'returned an empty stream (no events)' : `cut the stream after ${chunks} chunk(s)`;
  return new SwitchyardError({
    kind: 'network',
    retryable: true,
    provider: site.provider,
    model: site.model,
    message: `Simulated endpoint '${site.provider}' ${what} for model ${site.model}; the reply is incomplete.`,
  });
}

/** The error for a call aborted by its signal. */
export function abortedFaultError(site: FaultSite): SwitchyardError {
  return new SwitchyardError({
    kind: 'aborted',
    retryable: false,
    provider: site.provider,
    model: site.model,
    message: `The call to ${site.model} on endpoint '${site.provider}' was aborted.`,
  });
}

/** The usage a `bad-usage` fault reports: the true figures, with the fault's raw JSON text parsed over them. */
export function reportedUsage(truth: Usage, raw: Partial<Record<UsageFigure, string>>): Usage {
  const reported: Record<string, unknown> = { ...truth };
  for (const [field, text] of Object.entries(raw)) {
    try {
      reported[field] = JSON.parse(text) as unknown;
    } catch {
      reported[field] = text;
    }
  }
  return reported as unknown as Usage;
}
