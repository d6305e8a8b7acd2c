import { z } from 'zod';

/**
 * Fault injection for stand-ins. A rule matches requests (by method and path) and does one of:
 * - `latency`: waits `ms`, then the request goes on (several latency rules add up);
 * - `status`: answers `status` (429, 500, 502, 503 ...) with `body` text (JSON problem by default)
 *   and an optional `retryAfter` header (seconds, or an HTTP date);
 * - `timeout`: never answers (the socket stays open until the client gives up);
 * - `reset`: destroys the connection without an answer (a network error for the client).
 * `times` limits how many requests a rule affects (absent: every matching request until the rules
 * are cleared); `probability` (0..1, default 1) makes it random. Rules are tried in order.
 */
export const faultRuleSchema = z
  .object({
    type: z.enum(['latency', 'status', 'timeout', 'reset']),
    method: z.string().min(1).optional(),
    /** Matches when the request path (below the base path) starts with this text. */
    path: z.string().min(1).optional(),
    times: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    ms: z.number().int().min(0).optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: z.string().min(1).optional(),
    body: z.string().optional(),
  })
  .strict()
  .refine((rule) => rule.type !== 'latency' || rule.ms !== undefined, {
    error: 'a latency rule needs "ms"',
  })
  .refine((rule) => rule.type !== 'status' || rule.status !== undefined, {
    error: 'a status rule needs "status"',
  });

export type FaultRule = z.output<typeof faultRuleSchema>;

export const faultRulesSchema = z.array(faultRuleSchema);

/** What the server must do with one request, after latency. */
export type FaultOutcome =
  | { readonly kind: 'none'; readonly latencyMs: number; readonly applied: readonly string[] }
  | {
      readonly kind: 'status';
      readonly latencyMs: number;
      readonly applied: readonly string[];
      readonly status: number;
      readonly body: string | undefined;
      readonly retryAfter: string | undefined;
    }
  | {
      readonly kind: 'timeout' | 'reset';
      readonly latencyMs: number;
      readonly applied: readonly string[];
    };

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** The live fault rules of one stand-in. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(
    initial: readonly FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.add(initial);
  }

  add(rules: readonly FaultRule[]): void {
    for (const rule of rules) {
      this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    }
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules still active, with how many requests each may still affect (null: unlimited). */
  list(): { rule: FaultRule; remaining: number | null }[] {
    return this.rules.map(({ rule, remaining }) => ({
      rule,
      remaining: Number.isFinite(remaining) ? remaining : null,
    }));
  }

  /** Decides the faults for one request and uses up the rules that applied. */
  decide(method: string, path: string): FaultOutcome {
    let latencyMs = 0;
    const applied: string[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0 || !matches(rule, method, path)) {
        continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) {
        continue;
      }
      active.remaining -= 1;
      applied.push(rule.type === 'status' ? `status ${rule.status ?? ''}` : rule.type);
      if (rule.type === 'latency') {
        latencyMs += rule.ms ?? 0;
        continue;
      }
      this.prune();
      if (rule.type === 'status') {
        return {
          kind: 'status',
          latencyMs,
          applied,
          status: rule.status ?? 500,
          body: rule.body,
          retryAfter: rule.retryAfter,
        };
      }
      return { kind: rule.type, latencyMs, applied };
    }
    this.prune();
    return { kind: 'none', latencyMs, applied };
  }

  private prune(): void {
    this.rules = this.rules.filter((active) => active.remaining > 0);
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) {
    return false;
  }
  return rule.path === undefined || path.startsWith(rule.path);
}
