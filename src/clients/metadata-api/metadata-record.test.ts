import { describe, expect, it } from 'vitest';

import type { PredictionMetadata } from '../../interfaces/index.js';
import { buildMetadataRecord } from './metadata-record.js';

const FROM_MS = Date.UTC(2020, 4, 30, 10, 0);
const TO_MS = Date.UTC(2020, 4, 30, 10, 30);

function metadata(overrides: Partial<PredictionMetadata> = {}): PredictionMetadata {
  return {
    prediction: {
      project: 'ioc-1903',
      model: 'm1',
      window: { fromMs: FROM_MS, toMs: TO_MS },
      revision: '1583238576000',
      timesMs: [FROM_MS],
      columns: [
        { group: 'model-input', tag: '1903.R1', values: [1] },
        { group: 'model-output', tag: '1903.R1', values: [1] },
        { group: 'total-anomaly-confidence', values: [0.5] },
      ],
      nonFiniteCount: 0,
    },
    stored: {
      series: [
        {
          group: 'model-output',
          tag: '1903.R1',
          name: '1903.R1|m1|model-output',
          description: 'Gordo model-output - 1903.R1',
          id: '73ef',
          points: 1,
        },
        {
          group: 'total-anomaly-confidence',
          name: '1903.INDICATOR|m1|total-anomaly-confidence',
          description: '',
          id: '9a41',
          points: 1,
        },
      ],
      rows: 1,
      points: 2,
      skipped: 0,
      inputSeriesIds: { '1903.R1': '0b0d' },
    },
    model: {
      project: 'ioc-1903',
      name: 'm1',
      tags: [{ name: '1903.R1', asset: '1903' }],
      targetTags: [{ name: '1903.R1', asset: '1903' }],
      trainingRange: { fromMs: Date.UTC(2020, 1, 1), toMs: Date.UTC(2020, 3, 1) },
    },
    ...overrides,
  };
}

describe('buildMetadataRecord', () => {
  it('builds the record of the contract example', () => {
    expect(buildMetadataRecord(metadata())).toEqual({
      description:
        "Gordo prediction for project 'ioc-1903', model 'm1'. Prediction period: from '2020-05-30 10:00:00+00:00' : to '2020-05-30 10:30:00+00:00'",
      input_tags: [{ name: '1903.R1', time_series_id: '0b0d' }],
      labels: null,
      model_name: 'm1',
      output_tags: [
        {
          derived_from: '1903.R1',
          description: 'Gordo model-output - 1903.R1',
          name: '1903.R1|m1|model-output',
          time_series_id: '73ef',
          type: 'derived',
        },
        {
          derived_from: '',
          description: 'Gordo total-anomaly-confidence - ',
          name: '1903.INDICATOR|m1|total-anomaly-confidence',
          time_series_id: '9a41',
          type: 'aggregated',
        },
      ],
      project_name: 'ioc-1903',
      revision: '1583238576000',
      status: 'not_defined',
      training_time_from: '2020-02-01 00:00:00+00:00',
      training_time_to: '2020-04-01 00:00:00+00:00',
    });
  });

  it('writes nulls for what is not known and takes inputs from the model', () => {
    const base = metadata();
    const record = buildMetadataRecord({
      prediction: { ...base.prediction, revision: undefined, columns: [] },
      stored: { ...base.stored, inputSeriesIds: undefined },
      model: { ...base.model!, trainingRange: undefined, revision: undefined },
    });

    expect(record).toMatchObject({
      revision: null,
      training_time_from: null,
      training_time_to: null,
      input_tags: [{ name: '1903.R1', time_series_id: null }],
    });
  });
});
