import { DateTime } from 'luxon';
import { z } from 'zod';

import { json, problem, readJsonBody, type Route } from '../common/router.js';
import type { MetadataStore } from './metadata-store.js';

/**
 * A date as the original Latigo sent it (`2020-02-01 00:00:00+00:00`, Python's `str()`) or as
 * ISO 8601 (`2020-02-01T00:00:00Z`); normalised to ISO UTC with `Z`.
 */
const recordDate = z
  .string()
  .nullable()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === null) {
      return null;
    }
    const parsed = DateTime.fromISO(text.trim().replace(' ', 'T'), { zone: 'utc' });
    if (!parsed.isValid) {
      ctx.addIssue({ code: 'custom', message: `not a date: "${text}"` });
      return z.NEVER;
    }
    return parsed.toUTC().toISO({ suppressMilliseconds: true }) ?? text;
  });

const modelRecordSchema = z.looseObject({
  project_name: z.string().min(1),
  model_name: z.string().min(1),
  revision: z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((value) => (value === undefined || value === null ? null : String(value))),
  training_time_from: recordDate,
  training_time_to: recordDate,
  input_tags: z.array(z.looseObject({ name: z.string() })).optional(),
  output_tags: z.array(z.looseObject({ name: z.string() })).optional(),
});

/**
 * Routes of the metadata API stand-in (contract §7): `GET /ready` -> `Ok` (public),
 * `GET /projects` -> `{"projects": [...]}`, `POST /models` -> the record plus its `model_id`.
 * POST bodies are read as JSON whatever their Content-Type (the original sent none).
 */
export function metadataRoutes(projects: readonly string[], store: MetadataStore): Route[] {
  return [
    { method: 'GET', path: '/ready', public: true, handler: () => ({ status: 200, text: 'Ok' }) },
    { method: 'GET', path: '/projects', handler: () => json(200, { projects }) },
    {
      method: 'POST',
      path: '/models',
      handler: (request) => {
        const body = readJsonBody(request);
        if (!body.ok) {
          return body.response;
        }
        const parsed = modelRecordSchema.safeParse(body.value);
        if (!parsed.success) {
          const issues = parsed.error.issues
            .slice(0, 3)
            .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
            .join('; ');
          return problem(400, `invalid model record: ${issues}`);
        }
        const record = body.value as Record<string, unknown>;
        const modelId = store.insert({
          project_name: parsed.data.project_name,
          model_name: parsed.data.model_name,
          revision: parsed.data.revision,
          training_time_from: parsed.data.training_time_from,
          training_time_to: parsed.data.training_time_to,
          record,
        });
        return json(200, { ...record, model_id: modelId });
      },
    },
  ];
}

/** `GET /_control/models[?project_name=..&model_name=..]`: the stored records, for tests. */
export function metadataControlRoutes(store: MetadataStore): Route[] {
  return [
    {
      method: 'GET',
      path: '/models',
      handler: (request) =>
        json(200, {
          models: store.list({
            project_name: request.query.get('project_name'),
            model_name: request.query.get('model_name'),
          }),
        }),
    },
  ];
}
