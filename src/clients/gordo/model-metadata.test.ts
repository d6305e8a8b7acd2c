import { describe, expect, it } from 'vitest';

import { gordoModelFromMetadata, modelColumns, tagsToRead, toModelInfo } from './model-metadata.js';
import { metadataBodySchema, type MetadataBody } from './schemas.js';

function body(
  dataset: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): MetadataBody {
  return metadataBodySchema.parse({
    metadata: {
      name: 'm1',
      dataset: {
        tag_list: ['A', 'B'],
        train_start_date: '2020-02-01T00:00:00+00:00',
        train_end_date: '2020-08-15T00:00:00+00:00',
        ...dataset,
      },
      metadata: {
        build_metadata: {
          model: { model_offset: 2 },
          dataset: {
            dataset_meta: {
              tag_loading_metadata: { tags: { A: { name: 'A', asset: 'asset-a' } } },
            },
          },
        },
      },
      ...extra,
    },
    revision: '1',
  });
}

describe('gordo model metadata', () => {
  it('reads tags, training period, resolution and offset', () => {
    const model = gordoModelFromMetadata('p', 'm1', '1', body({ resolution: '5S' }));
    expect(model.tags).toEqual([{ name: 'A', asset: 'asset-a' }, { name: 'B' }]);
    expect(model.targetTags).toBe(model.tags);
    expect(model.trainingRange).toEqual({
      fromMs: Date.parse('2020-02-01T00:00:00Z'),
      toMs: Date.parse('2020-08-15T00:00:00Z'),
    });
    expect(model.resolutionMs).toBe(5000);
    expect(model.modelOffset).toBe(2);
  });

  it('applies the dataset defaults of gordo', () => {
    const model = gordoModelFromMetadata('p', 'm1', '1', body());
    expect(model).toMatchObject({
      resolutionMs: 600_000,
      aggregation: 'mean',
      interpolation: 'linear_interpolation',
      interpolationLimitMs: 48 * 3_600_000,
      rowFilter: { expressions: [], columns: [] },
      triggerTags: [],
    });
  });

  it('resolves assets from tag objects, pairs and the dataset asset', () => {
    const model = gordoModelFromMetadata(
      'p',
      'm1',
      '1',
      body({
        tag_list: [{ name: 'X', asset: 'ax' }, ['Y', 'ay'], 'Z'],
        asset: 'dataset-asset',
        target_tag_list: ['Z'],
      }),
    );
    expect(model.tags).toEqual([
      { name: 'X', asset: 'ax' },
      { name: 'Y', asset: 'ay' },
      { name: 'Z', asset: 'dataset-asset' },
    ]);
    expect(model.targetTags).toEqual([{ name: 'Z', asset: 'dataset-asset' }]);
  });

  it('reads every input and target tag once', () => {
    const model = gordoModelFromMetadata('p', 'm1', '1', body({ target_tag_list: ['B', 'C'] }));
    expect(tagsToRead(model).map((tag) => tag.name)).toEqual(['A', 'B', 'C']);
  });

  it('turns into the ModelInfo of the rest of Latigo', () => {
    const info = toModelInfo(gordoModelFromMetadata('p', 'm1', '7', body()));
    expect(info).toMatchObject({ project: 'p', name: 'm1', revision: '7', resolutionMs: 600_000 });
  });

  it('names the model and the key of an unusable resolution', () => {
    expect(() => gordoModelFromMetadata('p', 'm1', '1', body({ resolution: '1M' }))).toThrow(
      /model p\/m1 \(revision 1\): metadata dataset.resolution: "1M"/,
    );
  });

  it('refuses several aggregation methods', () => {
    expect(() =>
      gordoModelFromMetadata('p', 'm1', '1', body({ aggregation_methods: ['mean', 'max'] })),
    ).toThrow(/dataset.aggregation_methods: lists several methods/);
  });

  it('parses a row filter given as one expression', () => {
    const model = gordoModelFromMetadata('p', 'm1', '1', body({ row_filter: '`A` > 1' }));
    expect(model.rowFilter).toMatchObject({ expressions: ['`A` > 1'], columns: ['A'] });
    expect(model.triggerTags).toEqual([]);
  });

  it('parses a list of row filters and leaves blank ones out', () => {
    const model = gordoModelFromMetadata(
      'p',
      'm1',
      '1',
      body({ row_filter: ['(`1901.A-40FT0075.MA_Y` > 1000.0)', ' ', 'B < 5'] }),
    );
    expect(model.rowFilter.expressions).toEqual(['(`1901.A-40FT0075.MA_Y` > 1000.0)', 'B < 5']);
    expect(model.rowFilter.columns).toEqual(['1901.A-40FT0075.MA_Y', 'B']);
  });

  it('reads the tags only the row filter uses as trigger tags, with their assets', () => {
    const model = gordoModelFromMetadata(
      'p',
      'm1',
      '1',
      body(
        { row_filter: ['`C` > 1 & A < 5', '`TAG D` != 0 | `C` < 0'], asset: 'dataset-asset' },
        {
          metadata: {
            build_metadata: {
              dataset: {
                dataset_meta: {
                  tag_loading_metadata: {
                    tags: {
                      A: { name: 'A', asset: 'asset-a' },
                      C: { name: 'C', asset: 'asset-c' },
                    },
                  },
                },
              },
            },
          },
        },
      ),
    );

    expect(model.triggerTags).toEqual([
      { name: 'C', asset: 'asset-c', readFor: 'the row filter' },
      { name: 'TAG D', asset: 'dataset-asset', readFor: 'the row filter' },
    ]);
    expect(tagsToRead(model)).toEqual([
      { name: 'A', asset: 'asset-a' },
      { name: 'B', asset: 'dataset-asset' },
      { name: 'C', asset: 'asset-c', readFor: 'the row filter' },
      { name: 'TAG D', asset: 'dataset-asset', readFor: 'the row filter' },
    ]);
    expect(modelColumns(model)).toEqual(['A', 'B']);
    const info = toModelInfo(model);
    expect(info.tags.map((tag) => tag.name)).toEqual(['A', 'B']);
    expect(info.targetTags.map((tag) => tag.name)).toEqual(['A', 'B']);
  });

  it('takes no trigger tag for a filter on input or target tags', () => {
    const model = gordoModelFromMetadata(
      'p',
      'm1',
      '1',
      body({ target_tag_list: ['C'], row_filter: 'A > 0 & C > 0' }),
    );
    expect(model.triggerTags).toEqual([]);
    expect(tagsToRead(model).map((tag) => tag.name)).toEqual(['A', 'B', 'C']);
  });

  it('names the model, the expression and the character of unsupported filter syntax', () => {
    const read = () =>
      gordoModelFromMetadata('p', 'm1', '1', body({ row_filter: ['A > 0', 'B.mean() > 1'] }));
    expect(read).toThrow(
      expect.objectContaining({
        code: 'MODEL_METADATA_INVALID',
        retriable: false,
        message: expect.stringContaining(
          'model p/m1 (revision 1): metadata dataset.row_filter[1] "B.mean() > 1": attribute access',
        ) as string,
      }),
    );
    expect(read).toThrow(/\(at character 2\)$/);
  });
});
