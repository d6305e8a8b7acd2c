import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import yaml from 'js-yaml';
import { z } from 'zod';

import { LatigoError } from '../../errors/index.js';
import { parsePandasOffset } from '../../clients/gordo/pandas-offset.js';
import { parseCondition } from '../../clients/gordo/row-filter/index.js';
import { parseGordoTimestamp } from '../../clients/gordo/timestamps.js';

const name = z.string().min(1);
const revision = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value) => String(value))
  .refine((value) => /^\d+$/.test(value), { error: 'a revision is digits only' });

const instant = z.string().refine((value) => parseGordoTimestamp(value) !== undefined, {
  error: 'expected an ISO 8601 time such as "2020-03-09T10:14:33Z"',
});

const offsetAlias = z.string().refine((value) => 'ms' in parsePandasOffset(value), {
  error: 'expected a fixed-length pandas offset alias such as "5S", "10T" or "1H"',
});

const rowFilterExpression = z.string().superRefine((expression, ctx) => {
  const parsed = parseCondition(expression);
  if (expression.trim() !== '' && 'problem' in parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `"${expression}": ${parsed.problem} (at character ${parsed.character})`,
    });
  }
});

/** A CSV file of sensor readings and how its columns map to tags. */
const sourceSchema = z
  .object({
    /** Path of the CSV file, relative to the config file. */
    file: name,
    /** Header of the timestamp column. */
    timestamp_column: name.prefault('datetime'),
    /** Zone of timestamps without an offset. */
    time_zone: name.prefault('UTC'),
    /** Field separator; detected from the header when absent. */
    delimiter: z.string().min(1).optional(),
    /** CSV column -> tag name. */
    columns: z.record(name, name),
  })
  .strict();

/** One model of one revision. */
const modelSchema = z
  .object({
    /** The source its training (and only) data comes from. */
    source: name,
    /** Input tags, in model order. */
    tags: z.array(name).min(1),
    /** Target tags; the input tags when absent or empty. Must be input tags. */
    target_tags: z.array(name).prefault([]),
    /** Asset written into the metadata's tag descriptions. */
    asset: z.string().nullable().prefault(null),
    /** Training period (end exclusive). */
    train_start: instant,
    train_end: instant,
    resolution: offsetAlias.prefault('10T'),
    /** Rows consumed before the first output (LSTM-like); the first rows of each request are dropped. */
    model_offset: z.number().int().min(0).max(1000).prefault(0),
    aggregation: z.enum(['mean', 'min', 'max', 'first', 'last']).prefault('mean'),
    interpolation: z.enum(['linear_interpolation', 'ffill']).prefault('linear_interpolation'),
    interpolation_limit: offsetAlias.prefault('48H'),
    /**
     * `dataset.row_filter` served in the metadata (an expression or a list, ANDed). Clients read
     * and apply it; the stand-in itself trains on every row.
     */
    row_filter: z.union([rowFilterExpression, z.array(rowFilterExpression)]).prefault([]),
    /** Rolling-median window (rows) of the `smooth-*` groups; absent: no smoothing groups. */
    smoothing_window: z.number().int().min(1).optional(),
    /** false: the anomaly endpoint answers 422 as for a model without thresholds. */
    anomaly_endpoint: z.boolean().prefault(true),
    /** Builtin anomaly model options. */
    n_components: z.number().int().min(1).optional(),
    explained_variance: z.number().gt(0).max(1).optional(),
    threshold_folds: z.number().int().min(1).optional(),
    threshold_window: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((model) => model.target_tags.every((tag) => model.tags.includes(tag)), {
    error: 'target_tags must be among tags',
  });

const projectSchema = z
  .object({
    /** Revision served when none is asked for; the numerically largest one when absent. */
    current_revision: revision.optional(),
    /** Revision -> model name -> model. */
    revisions: z.record(z.string(), z.record(name, modelSchema)),
  })
  .strict();

/** The Gordo stand-in's config file. */
export const gordoStandinConfigSchema = z
  .object({
    /** Reported by `/server-version` and in metadata. */
    server_version: name.prefault('6.0.4'),
    sources: z.record(name, sourceSchema),
    projects: z.record(name, projectSchema),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [project, definition] of Object.entries(config.projects)) {
      if (Object.keys(definition.revisions).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['projects', project, 'revisions'],
          message: 'a project needs at least one revision',
        });
      }
      for (const [rev, models] of Object.entries(definition.revisions)) {
        if (!/^\d+$/.test(rev)) {
          ctx.addIssue({
            code: 'custom',
            path: ['projects', project, 'revisions', rev],
            message: 'a revision is digits only',
          });
        }
        for (const [model, options] of Object.entries(models)) {
          if (config.sources[options.source] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['projects', project, 'revisions', rev, model, 'source'],
              message: `no source named "${options.source}"`,
            });
          }
        }
      }
      const current = definition.current_revision;
      if (current !== undefined && definition.revisions[current] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['projects', project, 'current_revision'],
          message: `revision ${current} is not listed under revisions`,
        });
      }
    }
  });

export type GordoStandinConfig = z.output<typeof gordoStandinConfigSchema>;
export type StandinModelConfig = z.output<typeof modelSchema>;
export type StandinSourceConfig = z.output<typeof sourceSchema>;

/** A config and the folder its relative paths start from. */
export interface LoadedStandinConfig {
  readonly config: GordoStandinConfig;
  readonly baseDir: string;
}

/** Reads and checks a stand-in config file; errors name the file and the dotted key. */
export function loadGordoStandinConfig(file: string): LoadedStandinConfig {
  let raw: unknown;
  try {
    raw = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (error) {
    throw new LatigoError('CONFIG_INVALID', `${file}: cannot read the Gordo stand-in config`, {
      cause: error,
      context: { file },
    });
  }
  return { config: parseGordoStandinConfig(raw, file), baseDir: dirname(resolve(file)) };
}

/** Checks a config tree; `origin` names it in messages. */
export function parseGordoStandinConfig(raw: unknown, origin: string): GordoStandinConfig {
  const parsed = gordoStandinConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `${origin}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`,
    );
    throw new LatigoError(
      'CONFIG_INVALID',
      `invalid Gordo stand-in config:\n  ${lines.join('\n  ')}`,
      {
        context: { file: origin },
      },
    );
  }
  return parsed.data;
}

/** The revision served by default: `current_revision`, else the numerically largest one. */
export function defaultRevision(project: GordoStandinConfig['projects'][string]): string {
  if (project.current_revision !== undefined) {
    return project.current_revision;
  }
  const revisions = Object.keys(project.revisions).sort((a, b) =>
    a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length,
  );
  return revisions[revisions.length - 1] ?? '0';
}
