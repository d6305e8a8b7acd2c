import { faultRuleSchema, type FaultInjector } from './faults.js';
import type { RequestLog } from './request-log.js';
import { json, problem, readJsonBody, type Route } from './router.js';
import { z } from 'zod';

const faultsBodySchema = z.union([
  faultRuleSchema,
  z.array(faultRuleSchema),
  z.object({ faults: z.array(faultRuleSchema) }).strict(),
]);

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
        const parsed = faultsBodySchema.safeParse(body.value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return problem(
            400,
            `invalid fault rule: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
          );
        }
        const value = parsed.data;
        const rules = Array.isArray(value) ? value : 'faults' in value ? value.faults : [value];
        faults.add(rules);
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
