import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('logger', () => {
  it('should never write a secret, however deep it sits', () => {
    const { logger, lines } = capture();

    logger.info(
      {
        auth: { client_id: 'app', client_secret: 's3cret' },
        headers: { Authorization: 'Bearer abc.def', 'Ocp-Apim-Subscription-Key': 'k3y' },
        task_queue: { connection_string: 'Endpoint=sb://ns/;SharedAccessKey=xyz' },
      },
      'configured',
    );

    const line = lines.join('');
    expect(line).toContain('"client_id":"app"');
    expect(line).not.toMatch(/s3cret|abc\.def|k3y|SharedAccessKey=xyz/);
    expect(line.match(/\[redacted\]/g)).toHaveLength(4);
  });

  it('should log objects holding buffers without failing', () => {
    const { logger, lines } = capture();

    logger.info({ message: { value: Buffer.from('payload') } }, 'with a buffer');

    expect(lines.join('')).toContain('with a buffer');
  });
});
