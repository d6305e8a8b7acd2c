import { describe, expect, it } from 'vitest';

import {
  isStoredColumn,
  outputSeriesDescription,
  outputSeriesName,
  outputSeriesType,
} from './output-series.js';

describe('output series naming', () => {
  it('names a per-tag column tag|model|group', () => {
    expect(outputSeriesName({ group: 'model-output', tag: '1903.R1' }, 'model', '1903')).toBe(
      '1903.R1|model|model-output',
    );
  });

  it('names a total column after the facility indicator', () => {
    expect(outputSeriesName({ group: 'total-anomaly-confidence' }, 'm-1', '1903')).toBe(
      '1903.INDICATOR|m-1|total-anomaly-confidence',
    );
  });

  it('replaces the separator inside parts with a dash', () => {
    expect(outputSeriesName({ group: 'model-output', tag: 'a|b' }, 'x|y', 'f')).toBe(
      'a-b|x-y|model-output',
    );
  });

  it('rejects an empty model name', () => {
    expect(() => outputSeriesName({ group: 'model-output', tag: 't' }, '', 'f')).toThrow(
      /must not be empty/,
    );
  });

  it('describes and types columns as the metadata API expects', () => {
    expect(outputSeriesDescription({ group: 'model-output', tag: 'T1' })).toBe(
      'Gordo model-output - T1',
    );
    expect(outputSeriesDescription({ group: 'total-anomaly-scaled' })).toBe(
      'Gordo total-anomaly-scaled - ',
    );
    expect(outputSeriesType({ group: 'tag-anomaly-scaled', tag: 'T1' })).toBe('derived');
    expect(outputSeriesType({ group: 'total-anomaly-scaled' })).toBe('aggregated');
  });

  it('stores every group but inputs and row labels', () => {
    expect(isStoredColumn({ group: 'model-input' })).toBe(false);
    expect(isStoredColumn({ group: 'model-output' })).toBe(true);
  });
});
