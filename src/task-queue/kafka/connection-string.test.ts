import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../errors/index.js';
import { parseEventHubsConnectionString } from './connection-string.js';

const KEY = 'c2VjcmV0LWtleS1tYXRlcmlhbA==';

function connectionString(parts: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    Endpoint: 'sb://latigo-ns.servicebus.windows.net/',
    SharedAccessKeyName: 'send-listen',
    SharedAccessKey: KEY,
    EntityPath: 'latigo_topic',
    ...parts,
  };
  return Object.entries(all)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${value}`)
    .join(';');
}

function problem(text: string): LatigoError {
  try {
    parseEventHubsConnectionString(text);
  } catch (error) {
    if (error instanceof LatigoError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the connection string to be rejected');
}

describe('Event Hubs connection strings', () => {
  it('gives the namespace host, the key name and the EntityPath', () => {
    expect(parseEventHubsConnectionString(connectionString())).toEqual({
      host: 'latigo-ns.servicebus.windows.net',
      sharedAccessKeyName: 'send-listen',
      entityPath: 'latigo_topic',
    });
  });

  it('accepts a namespace-level string without EntityPath, spaces and a trailing semicolon', () => {
    const text = ` ${connectionString({ EntityPath: undefined })} ; `;

    expect(parseEventHubsConnectionString(text)).toEqual({
      host: 'latigo-ns.servicebus.windows.net',
      sharedAccessKeyName: 'send-listen',
      entityPath: undefined,
    });
  });

  it('accepts a sovereign cloud endpoint without the trailing slash', () => {
    const text = connectionString({ Endpoint: 'sb://ns.servicebus.chinacloudapi.cn' });

    expect(parseEventHubsConnectionString(text).host).toBe('ns.servicebus.chinacloudapi.cn');
  });

  it('names the missing part and never the key', () => {
    const cases = [
      [connectionString({ Endpoint: undefined }), /no Endpoint=sb:/],
      [connectionString({ SharedAccessKeyName: undefined }), /no SharedAccessKeyName part/],
      [connectionString({ SharedAccessKey: undefined }), /no SharedAccessKey part/],
      [connectionString({ Endpoint: 'https://ns.example/' }), /Endpoint "https:\/\/ns.example\/"/],
      [`${connectionString()};garbage`, /every part must look like Name=value/],
    ] as const;

    for (const [text, expected] of cases) {
      const error = problem(text);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(/^task_queue\.connection_string: not an Azure Event Hubs/);
      expect(error.message).toMatch(expected);
      expect(error.message).not.toContain(KEY);
    }
  });

  it('refuses SAS tokens, which the Kafka endpoint does not take', () => {
    const text = connectionString({
      SharedAccessKey: undefined,
      SharedAccessSignature: 'SharedAccessSignature sr=x&sig=y',
    });

    expect(problem(text).message).toMatch(/SharedAccessSignature tokens are not accepted/);
  });
});
