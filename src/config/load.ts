import { readFileSync } from 'node:fs';

import deepmerge from 'deepmerge';
import yaml from 'js-yaml';
import type { z } from 'zod';

import { LatigoError } from '../errors/index.js';
import { closestKey, knownKeysAt } from './unknown-keys.js';

/** A plain YAML tree. */
export type RawConfig = Record<string, unknown>;

/** One source file of a layered config. */
export interface ConfigLayer {
  readonly file: string;
  readonly raw: RawConfig;
}

/** Layers merged in order: later layers override earlier ones (maps merge, lists replace). */
export interface LayeredConfig {
  readonly layers: readonly ConfigLayer[];
  readonly merged: RawConfig;
  /** The environment variables each substituted value came from, by dotted key. */
  readonly variables?: Readonly<Record<string, readonly string[]>>;
  /** `${NAME}` references to unset variables, read as empty (when collected, not thrown). */
  readonly unset?: readonly UnsetVariable[];
}

/** A `${NAME}` whose variable is not set and has no fallback. */
export interface UnsetVariable {
  /** The dotted key whose value refers to it. */
  readonly key: string;
  readonly variable: string;
  /** `file: dotted.key: environment variable NAME is not set`. */
  readonly problem: string;
}

/**
 * Reads one YAML file into a map. An empty file is an empty map. `namedBy`, the environment
 * variable the path came from, is named when the file cannot be read.
 */
export function readConfigFile(file: string, namedBy?: string): ConfigLayer {
  let textContent: string;
  try {
    textContent = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code;
    const why =
      reason === 'ENOENT'
        ? ': no such file'
        : reason === 'EACCES'
          ? ': permission denied'
          : reason === 'EISDIR'
            ? ': it is a folder'
            : '';
    throw new LatigoError('CONFIG_FILE_UNREADABLE', unreadableFileMessage(file, why, namedBy), {
      cause: error,
      context: { file },
    });
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(textContent, { filename: file });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LatigoError('CONFIG_INVALID', `${file}: not valid YAML: ${reason}`, {
      cause: error,
      context: { file },
    });
  }
  if (parsed === undefined || parsed === null) {
    return { file, raw: {} };
  }
  if (!isPlainMap(parsed)) {
    throw new LatigoError('CONFIG_INVALID', `${file}: the top level must be a map of sections`, {
      context: { file },
    });
  }
  return { file, raw: parsed };
}

/**
 * Merges layers: maps merge key by key, lists and scalars of later layers replace earlier ones.
 * A section whose `type` a later layer changes is replaced whole, so keys of the old type (a
 * Kafka topic under a memory queue, say) do not leak into the new one.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): LayeredConfig {
  const options: deepmerge.Options = {
    arrayMerge: (_target, source: unknown[]) => source,
    isMergeableObject: isPlainMap,
    customMerge: () => (target: unknown, source: unknown) =>
      isPlainMap(target) &&
      isPlainMap(source) &&
      'type' in source &&
      source['type'] !== target['type']
        ? deepmerge({}, source, options)
        : deepmerge(target as RawConfig, source as RawConfig, options),
  };
  const merged = layers.reduce<RawConfig>(
    (accumulated, layer) => deepmerge(accumulated, layer.raw, options),
    {},
  );
  return { layers, merged };
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (or `${NAME:-fallback}`) in every string value with the environment
 * variable. A missing variable without fallback is a problem naming the key and the variable:
 * every such problem is thrown at once as CONFIG_INVALID, or, with `collectUnset`, returned in
 * `unset` for the caller to report with the other problems. The reference then reads as empty:
 * a value that is not really there must not make other keys required (a `client_id` asking for
 * its `client_secret`), and the key's own problems are not reported twice.
 */
export function substituteEnvironment(
  config: LayeredConfig,
  environment: Readonly<Record<string, string | undefined>>,
  options: { readonly collectUnset?: boolean } = {},
): LayeredConfig {
  const variables: Record<string, string[]> = {};
  const unset: UnsetVariable[] = [];
  const walk = (value: unknown, path: readonly string[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(
        ENV_REFERENCE,
        (_whole: string, name: string, fallback: string | undefined) => {
          const key = path.join('.');
          (variables[key] ??= []).push(name);
          const found = environment[name];
          if (found !== undefined) {
            return found;
          }
          if (fallback !== undefined) {
            return fallback;
          }
          const problem = `${originOf(config, path)}: ${key}: environment variable ${name} is not set`;
          unset.push({ key, variable: name, problem });
          return '';
        },
      );
    }
    if (Array.isArray(value)) {
      return value.map((item, index) => walk(item, [...path, String(index)]));
    }
    if (isPlainMap(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return value;
  };
  const merged = walk(config.merged, []) as RawConfig;
  if (unset.length > 0 && options.collectUnset !== true) {
    throw unsetVariablesError(unset);
  }
  return { layers: config.layers, merged, variables, ...(unset.length > 0 ? { unset } : {}) };
}

/** CONFIG_INVALID for unset variables: the one problem, or every problem on its own line. */
export function unsetVariablesError(unset: readonly UnsetVariable[]): LatigoError {
  const [first] = unset;
  const message =
    unset.length === 1 && first !== undefined
      ? first.problem
      : `invalid configuration:\n  ${unset.map((entry) => entry.problem).join('\n  ')}`;
  return new LatigoError('CONFIG_INVALID', message, {
    context: first === undefined ? {} : { key: first.key, variable: first.variable },
  });
}

/** `cannot read config file F: why (named by VARIABLE)`: the one wording of an unreadable file. */
export function unreadableFileMessage(file: string, why: string, namedBy?: string): string {
  return `cannot read config file ${file}${why}${namedBy === undefined ? '' : ` (named by ${namedBy})`}`;
}

/** The file that set the value at `path`: the last layer that has it, else the first layer. */
export function originOf(config: LayeredConfig, path: readonly (string | number)[]): string {
  for (let index = config.layers.length - 1; index >= 0; index -= 1) {
    const layer = config.layers[index];
    if (layer !== undefined && hasPath(layer.raw, path)) {
      return layer.file;
    }
  }
  return config.layers[config.layers.length - 1]?.file ?? '<config>';
}

/**
 * Validates a merged config with a zod schema. On failure throws CONFIG_INVALID listing every
 * problem as `file: dotted.key: message`.
 */
export function validateConfig<Schema extends z.ZodType>(
  config: LayeredConfig,
  schema: Schema,
  value: unknown = config.merged,
  pathPrefix: readonly string[] = [],
): z.output<Schema> {
  // The input is only looked at to tell a missing key; messages never quote it (secrets).
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  const lines = result.error.issues.flatMap((issue) => {
    const path = [...pathPrefix, ...issue.path.map((part) => String(part))];
    if (issue.code === 'unrecognized_keys') {
      // One line per key, each naming the file that has it and what it may have meant.
      const known = knownKeysAt(schema, issue.path) ?? [];
      return issue.keys.map((unknownKey) => {
        const keyPath = [...path, unknownKey];
        const meant = closestKey(unknownKey, known);
        const hint = meant === undefined ? '' : `; did you mean ${meant}?`;
        return `${originOf(config, keyPath)}: ${keyPath.join('.')}: unknown key${hint}`;
      });
    }
    const key = path.length === 0 ? '(top level)' : path.join('.');
    const from = config.variables?.[key];
    const source =
      from === undefined
        ? ''
        : ` (the value comes from ${from.map((name) => `\${${name}}`).join(', ')})`;
    const message =
      issue.code === 'invalid_type' && issue.input === undefined && path.length > 0
        ? `is missing (expected ${issue.expected})`
        : issue.message.replace(/^Invalid input: /, '');
    return [`${originOf(config, path)}: ${key}: ${message}${source}`];
  });
  throw new LatigoError('CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`, {
    context: { problems: lines.length },
  });
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function hasPath(root: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = root;
  for (const part of path) {
    if (Array.isArray(current)) {
      return true;
    }
    if (!isPlainMap(current) || !(String(part) in current)) {
      return false;
    }
    current = current[String(part)];
  }
  return true;
}
