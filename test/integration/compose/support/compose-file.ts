import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import yaml from 'js-yaml';
import { z } from 'zod';

import { packageRoot } from '../../../../src/util/package-root.js';

/**
 * docker-compose.yml read as docker compose reads it: YAML with anchors and merge keys, then
 * `${NAME}`, `${NAME:-default}` and `$$` interpolated from an environment (empty by default: the
 * values `docker compose up` uses on a machine where none of the variables is set).
 */

export const COMPOSE_FILE = join(packageRoot(), 'docker-compose.yml');

const healthcheckSchema = z.looseObject({ test: z.array(z.string()) });

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  volumes: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z
    .record(z.string(), z.looseObject({ condition: z.string(), restart: z.boolean().optional() }))
    .optional(),
  restart: z.string().optional(),
  healthcheck: healthcheckSchema.optional(),
});

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});

export type ComposeService = z.output<typeof serviceSchema>;
export type ComposeFile = z.output<typeof composeSchema>;

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

/** Interpolates one value as docker compose does. */
export function interpolate(
  text: string,
  environment: Readonly<Record<string, string | undefined>>,
): string {
  return text.replace(
    VARIABLE,
    (whole, name: string | undefined, operator: string | undefined, fallback: string) => {
      if (whole === '$$') {
        return '$';
      }
      const value = environment[name ?? ''];
      // ${NAME:-default}: unset or empty; ${NAME-default}: unset only.
      const useFallback =
        value === undefined || (operator === ':-' && value === '') ? operator !== undefined : false;
      return useFallback ? fallback : (value ?? '');
    },
  );
}

/** Loads docker-compose.yml, interpolated with `environment`. */
export function loadComposeFile(
  environment: Readonly<Record<string, string | undefined>> = {},
): ComposeFile {
  const raw = yaml.load(readFileSync(COMPOSE_FILE, 'utf8'));
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return interpolate(value, environment);
    }
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return composeSchema.parse(walk(raw));
}

/** A service's environment as strings (what the container's process sees). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
}

/** A service's volume mounts: source (named volume or host path), target, read-only. */
export function serviceMounts(
  service: ComposeService,
): { source: string; target: string; readOnly: boolean }[] {
  return (service.volumes ?? []).map((entry) => {
    const [source = '', target = '', mode] = entry.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

/** The value after `option` in a command (`--port 8400` gives 8400). */
export function optionValues(command: readonly string[], option: string): string[] {
  return command.flatMap((item, index) =>
    item === option && command[index + 1] !== undefined ? [command[index + 1]!] : [],
  );
}
