import { describe, expect, it } from 'vitest';

import { staticModelInfoSchema } from './static-config.js';
import { StaticModelInfo } from './static-model-info.js';

function model(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: 'skab',
    name: 'valve1',
    tags: ['SKAB.Current', { name: 'SKAB.Voltage', asset: 'PUMP' }],
    asset: 'SKAB',
    training: { from: '2020-03-09T10:14:33Z', to: '2020-03-09T10:21:31Z' },
    resolution: '5s',
    ...overrides,
  };
}

function provider(models: readonly Record<string, unknown>[] = [model()]): StaticModelInfo {
  return new StaticModelInfo(staticModelInfoSchema.parse({ type: 'static', models }));
}

function problems(models: readonly Record<string, unknown>[]): string[] {
  const result = staticModelInfoSchema.safeParse({ type: 'static', models });
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('StaticModelInfo', () => {
  it('turns a declared model into model info', async () => {
    const info = await provider().getModelByKey('skab', 'valve1');

    expect(info).toEqual({
      project: 'skab',
      name: 'valve1',
      tags: [
        { name: 'SKAB.Current', asset: 'SKAB' },
        { name: 'SKAB.Voltage', asset: 'PUMP' },
      ],
      targetTags: [
        { name: 'SKAB.Current', asset: 'SKAB' },
        { name: 'SKAB.Voltage', asset: 'PUMP' },
      ],
      trainingRange: {
        fromMs: Date.UTC(2020, 2, 9, 10, 14, 33),
        toMs: Date.UTC(2020, 2, 9, 10, 21, 31),
      },
      resolutionMs: 5_000,
    });
  });

  it('lists the models of the asked projects only', async () => {
    const models = provider([
      model({ name: 'a' }),
      model({ project: 'other', name: 'b' }),
      model({ name: 'c' }),
    ]);

    const listed = await models.getAllModels(['skab']);

    expect(listed.map((info) => info.name)).toEqual(['a', 'c']);
  });

  it('gives the spec and target tags of a model, and nothing for an unknown one', async () => {
    const models = provider([model({ target_tags: ['SKAB.Current'] })]);

    expect(await models.getSpec('skab', 'valve1')).toEqual({
      tags: [
        { name: 'SKAB.Current', asset: 'SKAB' },
        { name: 'SKAB.Voltage', asset: 'PUMP' },
      ],
    });
    expect((await models.getModelByKey('skab', 'valve1'))?.targetTags).toEqual([
      { name: 'SKAB.Current', asset: 'SKAB' },
    ]);
    expect(await models.getSpec('skab', 'nope')).toBeUndefined();
    expect(await models.getModelByKey('nope', 'valve1')).toBeUndefined();
  });

  it('reads a training range that YAML parsed into dates', async () => {
    const models = provider([
      model({
        training: { from: new Date('2020-03-09T10:14:33Z'), to: '2020-03-09T13:21:31+03:00' },
      }),
    ]);

    expect((await models.getModelByKey('skab', 'valve1'))?.trainingRange).toEqual({
      fromMs: Date.UTC(2020, 2, 9, 10, 14, 33),
      toMs: Date.UTC(2020, 2, 9, 10, 21, 31),
    });
  });
});

describe('static model info config', () => {
  it('rejects a model declared twice in a project', () => {
    expect(problems([model(), model()])).toEqual([
      'models.1.name: model "valve1" of project "skab" is declared twice',
    ]);
  });

  it('rejects a training range that ends before it starts, or has no zone', () => {
    expect(
      problems([model({ training: { from: '2020-03-09T10:21:31Z', to: '2020-03-09T10:14:33Z' } })]),
    ).toEqual(['models.0.training.to: training.to must be after training.from']);
    expect(
      problems([
        model({ training: { from: '2020-03-09 10:14:33', to: '2020-03-09T10:21:31Z' } }),
      ])[0],
    ).toMatch(/^models\.0\.training\.from: .* with its zone/);
  });

  it('rejects a tag listed twice, a missing training range and unknown keys', () => {
    expect(problems([model({ tags: ['A', 'A'] })])).toEqual([
      'models.0.tags.1: tag "A" is listed twice',
    ]);
    expect(problems([model({ training: undefined })])[0]).toMatch(/^models\.0\.training: /);
    expect(problems([model({ revision: '1' })])[0]).toMatch(/revision/);
  });

  it('reports a tag listed twice together with the other problems of the same model', () => {
    const found = problems([
      model({ tags: ['A', 'A'], training: { from: 'yesterday', to: '2020-03-09T10:21:31Z' } }),
    ]);

    expect(found).toContain('models.0.tags.1: tag "A" is listed twice');
    expect(found.some((line) => line.startsWith('models.0.training.from: '))).toBe(true);
  });
});
