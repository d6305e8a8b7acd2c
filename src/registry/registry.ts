import type { z } from 'zod';

import { LatigoError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { LayeredConfig } from '../config/load.js';
import { originOf, validateConfig } from '../config/load.js';
import type {
  ModelInfoProvider,
  PredictionExecutionProvider,
  PredictionMetadataStorage,
  PredictionStorageProvider,
  ProjectsProvider,
  SensorDataProvider,
  TaskQueue,
} from '../interfaces/index.js';

/** The kinds of pluggable parts, each chosen by the `type` of its config section. */
export interface ProviderKinds {
  task_queue: TaskQueue;
  model_info: ModelInfoProvider;
  sensor_data: SensorDataProvider;
  prediction_execution: PredictionExecutionProvider;
  prediction_storage: PredictionStorageProvider;
  prediction_metadata_storage: PredictionMetadataStorage;
  projects: ProjectsProvider;
}

export type ProviderKind = keyof ProviderKinds;

/** Which process a provider is built for; some providers differ (Kafka producer vs consumer). */
export type ProcessRole = 'scheduler' | 'executor';

export interface ProviderContext {
  readonly logger: Logger;
  readonly role: ProcessRole;
  /** Dotted name of the config section, for messages. */
  readonly section: string;
}

/** Builds one implementation from its validated config section. */
export interface ProviderFactory<Kind extends ProviderKind, Schema extends z.ZodType = z.ZodType> {
  readonly kind: Kind;
  readonly type: string;
  /** Validates the whole section, `type` included. */
  readonly schema: Schema;
  create(
    config: z.output<Schema>,
    context: ProviderContext,
  ): ProviderKinds[Kind] | Promise<ProviderKinds[Kind]>;
}

/** A config section after validation: its type and the resolved options for that type. */
export interface ResolvedSection<Kind extends ProviderKind = ProviderKind> {
  readonly kind: Kind;
  readonly type: string;
  readonly section: string;
  readonly options: unknown;
}

/** Maps `type` names to factories, per kind. */
export class ProviderRegistry {
  private readonly factories = new Map<string, ProviderFactory<ProviderKind>>();

  register<Kind extends ProviderKind, Schema extends z.ZodType>(
    factory: ProviderFactory<Kind, Schema>,
  ): this {
    const key = `${factory.kind}:${factory.type}`;
    if (this.factories.has(key)) {
      throw new LatigoError('INTERNAL', `provider ${key} is registered twice`);
    }
    this.factories.set(key, factory);
    return this;
  }

  /** The registered type names of one kind, sorted. */
  knownTypes(kind: ProviderKind): string[] {
    return [...this.factories.values()]
      .filter((factory) => factory.kind === kind)
      .map((factory) => factory.type)
      .sort();
  }

  /**
   * Validates the section at `path` of a layered config against the schema of its `type`.
   * Errors name the file and the dotted key; an unknown type lists the known ones.
   */
  resolve<Kind extends ProviderKind>(
    kind: Kind,
    config: LayeredConfig,
    path: readonly string[],
    section: unknown,
  ): ResolvedSection<Kind> {
    const dotted = path.join('.');
    const type =
      typeof section === 'object' && section !== null
        ? (section as { type?: unknown }).type
        : undefined;
    if (typeof type !== 'string') {
      throw new LatigoError(
        'CONFIG_INVALID',
        `invalid configuration:\n  ${originOf(config, [...path, 'type'])}: ${dotted}.type: expected one of ${this.knownTypes(kind).join(', ')}`,
        { context: { key: `${dotted}.type` } },
      );
    }
    const factory = this.factories.get(`${kind}:${type}`);
    if (factory === undefined) {
      throw new LatigoError(
        'UNKNOWN_PROVIDER_TYPE',
        `invalid configuration:\n  ${originOf(config, [...path, 'type'])}: ${dotted}.type: unknown type "${type}"; known types: ${this.knownTypes(kind).join(', ')}`,
        { context: { key: `${dotted}.type`, type } },
      );
    }
    const options: unknown = validateConfig(config, factory.schema, section, path);
    return { kind, type, section: dotted, options };
  }

  /** Builds the implementation of a resolved section. */
  async create<Kind extends ProviderKind>(
    resolved: ResolvedSection<Kind>,
    context: Omit<ProviderContext, 'section'>,
  ): Promise<ProviderKinds[Kind]> {
    const factory = this.factories.get(`${resolved.kind}:${resolved.type}`);
    if (factory === undefined) {
      throw new LatigoError(
        'UNKNOWN_PROVIDER_TYPE',
        `${resolved.section}.type: unknown type "${resolved.type}"; known types: ${this.knownTypes(resolved.kind).join(', ')}`,
      );
    }
    const created = await factory.create(resolved.options, {
      ...context,
      section: resolved.section,
    });
    return created as ProviderKinds[Kind];
  }
}
