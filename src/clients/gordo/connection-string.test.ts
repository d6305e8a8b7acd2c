import { describe, expect, it } from 'vitest';

import { parseGordoConnectionString } from './connection-string.js';

describe('gordo connection strings', () => {
  it('takes scheme, host, default port and API path', () => {
    expect(parseGordoConnectionString('https://api/gordo/v0/', 'model_info')).toEqual({
      origin: 'https://api:443',
      apiPath: '/gordo/v0',
      baseUrl: 'https://api:443/gordo/v0',
    });
  });

  it('keeps an explicit port and a gateway prefix', () => {
    expect(parseGordoConnectionString('http://127.0.0.1:5555/prefix/gordo/v1', 'x').baseUrl).toBe(
      'http://127.0.0.1:5555/prefix/gordo/v1',
    );
  });

  it('uses port 80 for http', () => {
    expect(parseGordoConnectionString('http://gordo/gordo/v0/', 'x').origin).toBe(
      'http://gordo:80',
    );
  });

  it.each([
    ['not a url', /model_info.connection_string is not a URL/],
    ['ftp://host/gordo/v0/', /must use http or https/],
    ['https://host/', /must have a path ending in \/gordo\/v<digits>/],
    ['https://host/gordo/v0/project', /must have a path ending/],
    ['https://user:pw@host/gordo/v0/', /credentials/],
    ['https://host/gordo/v0/?x=1', /query/],
  ])('refuses %s', (text, message) => {
    expect(() => parseGordoConnectionString(text, 'model_info')).toThrow(message);
  });

  it('never repeats the connection string in its message', () => {
    let message = '';
    try {
      parseGordoConnectionString('https://secret-host/nope', 'model_info');
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/model_info.connection_string/);
    expect(message).not.toContain('secret-host');
  });
});
