import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mergeLayers, readConfigFile, substituteEnvironment } from '../../../src/config/load.js';
import { createDefaultRegistry } from '../../../src/registry/default-registry.js';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-metadata-config-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function resolveSection(yaml: string, environment: Record<string, string> = {}) {
  const file = join(directory, `overlay-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const config = substituteEnvironment(mergeLayers([readConfigFile(file)]), environment);
  return createDefaultRegistry().resolve(
    'prediction_metadata_storage',
    config,
    ['prediction_metadata_storage'],
    config.merged['prediction_metadata_storage'],
  );
}

const EXAMPLE = `
prediction_metadata_storage:
  type: 'metadata_api'
  base_url: '\${LATIGO_METADATA_API_BASE_URL:-}'
  auth:
    resource: '\${LATIGO_METADATA_API_RESOURCE:-}'
    tenant: '\${LATIGO_METADATA_API_TENANT:-}'
    authority_host_url: 'https://login.microsoftonline.com'
    client_id: '\${LATIGO_METADATA_API_CLIENT_ID:-}'
    client_secret: '\${LATIGO_METADATA_API_CLIENT_SECRET:-}'
    auto_adding_headers:
      Ocp-Apim-Subscription-Key: '\${LATIGO_METADATA_API_APIM_KEY:-}'
`;

describe('prediction_metadata_storage of type metadata_api', () => {
  it('resolves the documented example with secrets from the environment and defaults filled in', () => {
    const resolved = resolveSection(EXAMPLE, {
      LATIGO_METADATA_API_BASE_URL: 'http://127.0.0.1:8401',
      LATIGO_METADATA_API_RESOURCE: 'api://prevent',
      LATIGO_METADATA_API_TENANT: 'tenant',
      LATIGO_METADATA_API_CLIENT_ID: 'client',
      LATIGO_METADATA_API_CLIENT_SECRET: 'secret',
      LATIGO_METADATA_API_APIM_KEY: 'key',
    });

    expect(resolved.type).toBe('metadata_api');
    expect(resolved.options).toMatchObject({
      base_url: 'http://127.0.0.1:8401',
      auth: { token_renewal_margin: 60_000, verify_on_startup: true },
      http: { timeout: 30_000, retry: { attempts: 4 } },
    });
  });

  it('names the file and the dotted key of a missing secret', () => {
    expect(() =>
      resolveSection(EXAMPLE, {
        LATIGO_METADATA_API_BASE_URL: 'http://127.0.0.1:8401',
        LATIGO_METADATA_API_RESOURCE: 'api://prevent',
        LATIGO_METADATA_API_TENANT: 'tenant',
        LATIGO_METADATA_API_CLIENT_ID: 'client',
      }),
    ).toThrow(/overlay-\w+\.yaml.*prediction_metadata_storage\.auth\.client_secret: required/s);
  });

  it('names the missing base_url', () => {
    expect(() => resolveSection(EXAMPLE)).toThrow(/prediction_metadata_storage\.base_url/);
  });
});
