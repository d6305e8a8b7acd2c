import { faultRuleSchema, type FaultInjector, type FaultRule } from './faults.js';
import type { RequestLog } from './request-log.js';
import { json, problem, readJsonBody, type Route } from './router.js';
import { z } from 'zod';

const ruleListSchema = z.array(faultRuleSchema);
const wrappedRulesSchema = z.object({ faults: ruleListSchema }).strict();

/**
 * The rules of a POST body: one rule, a list, or `{"faults": [...]}`. The shape is told apart
 * first, so that a problem is reported for the rule it is in (a union would only say that no
 * shape fits).
 */
function parseRules(
  value: unknown,
): { ok: true; rules: FaultRule[] } | { ok: false; problem: string } {
  let issues: readonly z.core.$ZodIssue[];
  if (Array.isArray(value)) {
    const parsed = ruleListSchema.safeParse(value);
    if (parsed.success) {
      return { ok: true, rules: parsed.data };
    }
    issues = parsed.error.issues;
  } else if (typeof value === 'object' && value !== null && 'faults' in value) {
    const parsed = wrappedRulesSchema.safeParse(value);
    if (parsed.success) {
      return { ok: true, rules: parsed.data.faults };
    }
    issues = parsed.error.issues;
  } else {
    const parsed = faultRuleSchema.safeParse(value);
    if (parsed.success) {
      return { ok: true, rules: [parsed.data] };
    }
    issues = parsed.error.issues;
  }
  const issue = issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  return { ok: false, problem: `invalid fault rule: ${where}${issue?.message ?? 'not a rule'}` };
}

/**
 * The control endpoints every stand-in serves below `/_control` (no token needed):
 * - `GET /_control/faults`: the active fault rules and how often each may still fire;
 * - `POST /_control/faults`: adds rules (one rule, a list, or `{"faults": [...]}`);
 * - `DELETE /_control/faults`: removes every rule;
 * - `GET /_control/requests`: the request log (secret header values replaced);
 * - `DELETE /_control/requests`: empties the log;
 * - `GET /_control/health`: `{"status": "ok"}`.
 */
export function controlRoutes(faults: FaultInjector, requests: RequestLog): Route[] {
  return [
    { method: 'GET', path: '/health', handler: () => json(200, { status: 'ok' }) },
    { method: 'GET', path: '/faults', handler: () => json(200, { faults: faults.list() }) },
    {
      method: 'POST',
      path: '/faults',
      handler: (request) => {
        const body = readJsonBody(request);
        if (!body.ok) {
          return body.response;
        }
        const parsed = parseRules(body.value);
        if (!parsed.ok) {
          return problem(400, parsed.problem);
        }
        faults.add(parsed.rules);
        return json(200, { faults: faults.list() });
      },
    },
    {
      method: 'DELETE',
      path: '/faults',
      handler: () => {
        faults.clear();
        return json(200, { faults: [] });
      },
    },
    { method: 'GET', path: '/requests', handler: () => json(200, { requests: requests.list() }) },
    {
      method: 'DELETE',
      path: '/requests',
      handler: () => {
        requests.clear();
        return json(200, { requests: [] });
      },
    },
  ];
}
