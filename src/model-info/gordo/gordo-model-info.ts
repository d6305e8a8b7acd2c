import type { ModelInfo } from '../../domain/model.js';
import type { SensorDataSpec } from '../../domain/sensor.js';
import { isLatigoError } from '../../errors/index.js';
import type { ModelInfoProvider } from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';
import type { GordoClientPool } from '../../clients/gordo/gordo-client-pool.js';
import type { GordoProjectClient } from '../../clients/gordo/gordo-project-client.js';
import { mapLimit } from '../../util/map-limit.js';
import { tagsToRead, toModelInfo, type GordoModel } from '../../clients/gordo/model-metadata.js';

export interface GordoModelInfoOptions {
  /** Only these model names are known (`target`); undefined: every model. */
  readonly targets?: ReadonlySet<string> | undefined;
  /** Projects, and models of one project, read at once. */
  readonly parallelism: number;
  /** Skip a model whose metadata cannot be read or used instead of failing its project. */
  readonly ignoreUnhealthyTargets: boolean;
  /** Start-up check, e.g. that a token can be had. */
  readonly check?: ((signal?: AbortSignal) => Promise<void>) | undefined;
  readonly logger: Logger;
}

/**
 * Model information from Gordo (gordo.md §8.2, §8.3): the latest revision from `/revisions`, model
 * names from `/models`, and per model its metadata (tags with assets, training period,
 * resolution). When a revision disappears between calls (410) the latest one is read again and
 * the listing is tried once more.
 */
export class GordoModelInfoProvider implements ModelInfoProvider {
  constructor(
    private readonly pool: GordoClientPool,
    private readonly options: GordoModelInfoOptions,
  ) {}

  async getAllModels(
    projects: readonly string[],
    signal?: AbortSignal,
  ): Promise<readonly ModelInfo[]> {
    const perProject = await mapLimit(projects, this.options.parallelism, async (project) => {
      try {
        return await this.projectModels(project, signal);
      } catch (error) {
        if (signal?.aborted === true) {
          throw error;
        }
        this.options.logger.warn(
          { err: error, project },
          'gordo project skipped: its models could not be listed',
        );
        return [];
      }
    });
    return perProject.flat();
  }

  async getModelByKey(
    project: string,
    model: string,
    signal?: AbortSignal,
  ): Promise<ModelInfo | undefined> {
    const found = await this.gordoModel(project, model, signal);
    return found === undefined ? undefined : toModelInfo(found);
  }

  async getSpec(
    project: string,
    model: string,
    signal?: AbortSignal,
  ): Promise<SensorDataSpec | undefined> {
    const found = await this.gordoModel(project, model, signal);
    return found === undefined ? undefined : { tags: tagsToRead(found) };
  }

  async check(signal?: AbortSignal): Promise<void> {
    await this.options.check?.(signal);
  }

  /** One model at the project's latest revision, or undefined when unknown or not a target. */
  private gordoModel(
    project: string,
    model: string,
    signal?: AbortSignal,
  ): Promise<GordoModel | undefined> {
    if (!this.isTarget(model)) {
      return Promise.resolve(undefined);
    }
    const client = this.pool.project(project);
    return client.atLatestRevision((revision) => client.model(model, revision, signal), signal);
  }

  private projectModels(project: string, signal?: AbortSignal): Promise<ModelInfo[]> {
    const client = this.pool.project(project);
    return client.atLatestRevision(async (revision) => {
      const names = (await client.modelNames(revision, signal)).filter((name) =>
        this.isTarget(name),
      );
      const models = await mapLimit(names, this.options.parallelism, (name) =>
        this.healthyModel(client, name, revision, signal),
      );
      return models.filter((model): model is GordoModel => model !== undefined).map(toModelInfo);
    }, signal);
  }

  private async healthyModel(
    client: GordoProjectClient,
    name: string,
    revision: string,
    signal?: AbortSignal,
  ): Promise<GordoModel | undefined> {
    const fields = { project: client.project, model: name, revision };
    try {
      const model = await client.model(name, revision, signal);
      if (model === undefined) {
        this.options.logger.warn(
          fields,
          'gordo lists a model it has no metadata for; model skipped',
        );
      }
      return model;
    } catch (error) {
      const revisionGone = isLatigoError(error) && error.code === 'MODEL_REVISION_GONE';
      if (!this.options.ignoreUnhealthyTargets || revisionGone || signal?.aborted === true) {
        throw error;
      }
      this.options.logger.warn(
        { ...fields, err: error },
        'gordo model skipped: its metadata cannot be used',
      );
      return undefined;
    }
  }

  private isTarget(model: string): boolean {
    return this.options.targets === undefined || this.options.targets.has(model);
  }
}
