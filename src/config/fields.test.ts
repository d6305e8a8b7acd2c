import { describe, expect, it } from 'vitest';

import { describeValue, quotedText } from './fields.js';

describe('quotedText', () => {
  it('quotes a plain text, clipping a long one', () => {
    expect(quotedText('10 seconds')).toBe('"10 seconds"');
    expect(quotedText('x'.repeat(100))).toBe(`"${'x'.repeat(80)}…"`);
  });

  it('never quotes what looks like a connection string or credentials', () => {
    const secretLooking = [
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=SUPERSECRET123',
      'https://user:SUPERSECRET123@host/path',
      'my-secret-SUPERSECRET123',
      'Bearer token SUPERSECRET123',
      'https://host/blob?sig=SUPERSECRET123',
    ];
    for (const text of secretLooking) {
      const quoted = quotedText(text);
      expect(quoted).not.toContain('SUPERSECRET123');
      expect(quoted).toBe(
        `a text of ${text.length} characters that looks like a connection string or credentials (not shown)`,
      );
    }
  });

  it('is how describeValue shows a text', () => {
    expect(describeValue('three')).toBe('"three"');
    expect(describeValue('password=hunter2')).not.toContain('hunter2');
  });
});
