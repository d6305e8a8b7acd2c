import { z } from 'zod';

import { durationMs, text } from '../../config/fields.js';
import { isoInstantMs } from '../../timeseries/iso-instant.js';

/** A tag: its name, or `{name, asset}`. */
const tagSchema = z.union([text(), z.object({ name: text(), asset: text().optional() }).strict()], {
  error: 'expected a tag name or {name, asset}',
});

const modelSchema = z
  .object({
    /** The project the model belongs to (scheduler `projects`). */
    project: text(),
    /** The model name, unique within its project. */
    name: text(),
    /**
     * Input tags, in model order, each once. Checked on the list itself, so that a duplicate is
     * reported together with the problems of the entry's other fields.
     */
    tags: z
      .array(tagSchema)
      .min(1, { error: 'list at least one tag' })
      .superRefine((tags, ctx) => {
        const names = tags.map((tag) => (typeof tag === 'string' ? tag : tag.name));
        names.forEach((name, index) => {
          if (names.indexOf(name) !== index) {
            ctx.addIssue({
              code: 'custom',
              message: `tag "${name}" is listed twice`,
              path: [index],
            });
          }
        });
      }),
    /** Output tags, a subset of `tags`; default: the input tags. */
    target_tags: z.array(tagSchema).min(1, { error: 'list at least one tag' }).optional(),
    /** Asset of the tags written as plain names. */
    asset: text().optional(),
    /** The training period, ISO 8601 instants with their zone; `to` is exclusive. */
    training: z
      .object({ from: isoInstantMs(), to: isoInstantMs() })
      .strict()
      .refine((range) => range.to > range.from, {
        error: 'training.to must be after training.from',
        path: ['to'],
      }),
    /** Row spacing of the model, e.g. "10m"; default: the predictor's own. */
    resolution: durationMs({ max: Number.MAX_SAFE_INTEGER }).optional(),
  })
  .strict();

/** The `model_info` section for `type: static`: models declared in the config itself. */
export const staticModelInfoSchema = z
  .object({
    type: z.literal('static'),
    models: z.array(modelSchema).min(1, { error: 'declare at least one model' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.models.forEach((model, index) => {
      const key = `${model.project}/${model.name}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `model "${model.name}" of project "${model.project}" is declared twice`,
          path: ['models', index, 'name'],
        });
      }
      seen.add(key);
    });
  });

export type StaticModelInfoConfig = z.output<typeof staticModelInfoSchema>;
export type StaticModelConfig = StaticModelInfoConfig['models'][number];
