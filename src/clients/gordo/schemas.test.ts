import { describe, expect, it } from 'vitest';

import { metadataBodySchema } from './schemas.js';

/** The problems the metadata schema finds in a body with this dataset, as `path: message`. */
function problems(dataset: Record<string, unknown>): string[] {
  const parsed = metadataBodySchema.safeParse({ metadata: { name: 'm1', dataset } });
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('Gordo metadata schema', () => {
  it('should accept a row filter given as a string or as a list of strings', () => {
    expect(problems({ tag_list: ['A'], row_filter: 'A > 1' })).toEqual([]);
    expect(problems({ tag_list: ['A'], row_filter: ['A > 1', 'A < 9'] })).toEqual([]);
  });

  it('should name the row filter item that is not a string and what it is', () => {
    expect(problems({ tag_list: ['A'], row_filter: ['A > 1', 5] })).toEqual([
      'metadata.dataset.row_filter: item 1 is a number, expected a string',
    ]);
    expect(problems({ tag_list: ['A'], row_filter: [null] })).toEqual([
      'metadata.dataset.row_filter: item 0 is null, expected a string',
    ]);
  });

  it('should say what a row filter that is neither a string nor a list is', () => {
    expect(problems({ tag_list: ['A'], row_filter: { A: 1 } })).toEqual([
      'metadata.dataset.row_filter: expected a string or a list of strings, got an object',
    ]);
    expect(problems({ tag_list: ['A'], row_filter: 3 })).toEqual([
      'metadata.dataset.row_filter: expected a string or a list of strings, got a number',
    ]);
  });

  it('should say which tag list entry has none of the shapes of a tag', () => {
    expect(problems({ tag_list: ['A', ['B', 3]] })).toEqual([
      'metadata.dataset.tag_list.1: expected a tag name, {"name": …, "asset": …} or [name, asset]',
    ]);
  });
});
