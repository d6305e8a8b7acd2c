import { LatigoError, isLatigoError } from '../../errors/index.js';
import { namePathSegment } from '../../domain/names.js';
import type { HttpClient } from '../../http/index.js';
import type { Logger } from '../../logging/logger.js';
import { raceAbort } from '../../util/abort.js';
import { gordoModelFromMetadata, type GordoModel } from './model-metadata.js';
import type { PredictionRequestBody } from './request-body.js';
import {
  metadataBodySchema,
  modelsBodySchema,
  predictionBodySchema,
  revisionsBodySchema,
  type PredictionBody,
} from './schemas.js';
import { TtlCache } from './ttl-cache.js';

/** Cache and request settings shared by the clients of one config section. */
export interface GordoClientSettings {
  /** How long the latest revision is trusted before `/revisions` is asked again. */
  readonly revisionsCacheTtlMs: number;
  /** How long a revision's model list is kept. */
  readonly modelsCacheTtlMs: number;
  /** How long a model's metadata (per revision) is kept. */
  readonly metadataCacheTtlMs: number;
  /** Most metadata documents kept per project. */
  readonly metadataCacheSize: number;
  /** Ask the anomaly endpoint for the `smooth-*` groups too (`all_columns`). */
  readonly allColumns: boolean;
}

/** Which endpoint answered a prediction. */
export type PredictionEndpoint = 'anomaly/prediction' | 'prediction';

export interface GordoPrediction {
  readonly body: PredictionBody;
  readonly endpoint: PredictionEndpoint;
}

/**
 * The Gordo ML server of one project (gordo.md §3): its revisions, models, metadata and
 * predictions, with the caching of gordo-client (§7.2) and its fallback from the anomaly endpoint
 * to the plain prediction endpoint on 422 (§7.6). A 410 surfaces as MODEL_REVISION_GONE
 * (retriable) after the cached latest revision has been forgotten, so the next call sees the new
 * one.
 */
export class GordoProjectClient {
  private readonly revisions: TtlCache<string>;
  private readonly modelLists: TtlCache<readonly string[]>;
  private readonly metadata: TtlCache<GordoModel | undefined>;
  /** `revision/model` of models whose anomaly endpoint answered 422. */
  private readonly plainOnly = new Set<string>();
  private readonly projectPath: string;

  constructor(
    readonly project: string,
    private readonly http: HttpClient,
    private readonly settings: GordoClientSettings,
    private readonly logger: Logger,
  ) {
    this.projectPath = `/${namePathSegment('project', project)}`;
    this.revisions = new TtlCache(settings.revisionsCacheTtlMs, 1);
    this.modelLists = new TtlCache(settings.modelsCacheTtlMs, 8);
    this.metadata = new TtlCache(settings.metadataCacheTtlMs, settings.metadataCacheSize);
  }

  /** The revision the server currently serves (`latest` of `/revisions`). */
  latestRevision(signal?: AbortSignal): Promise<string> {
    const shared = this.revisions.get('latest', async () => {
      const body = await this.call(
        () =>
          this.http.requestJson(
            { method: 'GET', path: `${this.projectPath}/revisions`, json: 'python' },
            revisionsBodySchema,
          ),
        'revisions',
      );
      return body.latest;
    });
    return withSignal(shared, signal);
  }

  /** Forgets the cached latest revision (after a 410, or to pick up a change at once). */
  forgetLatestRevision(): void {
    this.revisions.clear();
  }

  /**
   * Runs `work` at the latest revision. When the revision disappears meanwhile
   * (MODEL_REVISION_GONE, which has already made this client forget it), the latest revision is
   * read again and `work` runs once more.
   */
  async atLatestRevision<T>(
    work: (revision: string) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const revision = await this.latestRevision(signal);
    try {
      return await work(revision);
    } catch (error) {
      if (!isLatigoError(error) || error.code !== 'MODEL_REVISION_GONE') {
        throw error;
      }
      this.logger.info(
        { project: this.project, revision },
        'gordo revision gone; reading the latest revision again',
      );
      return work(await this.latestRevision(signal));
    }
  }

  /** Names of the models of a revision, as `/models` lists them. */
  modelNames(revision: string, signal?: AbortSignal): Promise<readonly string[]> {
    const shared = this.modelLists.get(revision, async () => {
      const body = await this.call(
        () =>
          this.http.requestJson(
            {
              method: 'GET',
              path: `${this.projectPath}/models`,
              query: { revision },
              json: 'python',
            },
            modelsBodySchema,
          ),
        'models',
        revision,
      );
      return body.models;
    });
    return withSignal(shared, signal);
  }

  /**
   * One model's metadata at a revision, or undefined when the server has no such model (404, or
   * 422 for a name it refuses). Throws MODEL_METADATA_INVALID when the document is unusable.
   */
  async model(
    name: string,
    revision: string,
    signal?: AbortSignal,
  ): Promise<GordoModel | undefined> {
    const key = `${revision}/${name}`;
    const shared = this.metadata.get(key, async () => {
      try {
        const body = await this.call(
          () =>
            this.http.requestJson(
              {
                method: 'GET',
                path: `${this.modelPath(name)}/metadata`,
                query: { revision },
                json: 'python',
              },
              metadataBodySchema,
            ),
          `metadata of model ${name}`,
          revision,
        );
        return gordoModelFromMetadata(this.project, name, revision, body);
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 422) {
          return undefined;
        }
        throw error;
      }
    });
    const found = await withSignal(shared, signal);
    if (found === undefined) {
      this.metadata.delete(key);
    }
    return found;
  }

  /**
   * Posts one batch. The anomaly endpoint is used unless it answered 422 for this model and
   * revision before; a 422 there switches the model to `/prediction` and re-posts at once.
   * Throws MODEL_REVISION_GONE on 410, MODEL_NOT_FOUND on 404, PREDICTION_FAILED on other 4xx
   * (and on a 422 from `/prediction`).
   */
  async predict(
    model: GordoModel,
    body: PredictionRequestBody,
    signal?: AbortSignal,
  ): Promise<GordoPrediction> {
    const key = `${model.revision}/${model.name}`;
    if (!this.plainOnly.has(key)) {
      try {
        return await this.post(model, 'anomaly/prediction', body, signal);
      } catch (error) {
        if (statusOf(error) !== 422) {
          throw error;
        }
        this.plainOnly.add(key);
        this.logger.info(
          { project: this.project, model: model.name, revision: model.revision },
          'gordo anomaly endpoint refused the model (422); using the plain prediction endpoint',
        );
      }
    }
    return this.post(model, 'prediction', body, signal);
  }

  private async post(
    model: GordoModel,
    endpoint: PredictionEndpoint,
    body: PredictionRequestBody,
    signal: AbortSignal | undefined,
  ): Promise<GordoPrediction> {
    const query: Record<string, string> = { format: 'json', revision: model.revision };
    if (this.settings.allColumns && endpoint === 'anomaly/prediction') {
      query['all_columns'] = 'true';
    }
    const what = `${endpoint} of model ${model.name}`;
    try {
      const answer = await this.call(
        () =>
          this.http.requestJson(
            {
              method: 'POST',
              path: `${this.modelPath(model.name)}/${endpoint}`,
              query,
              body,
              signal,
              json: 'python',
            },
            predictionBodySchema,
          ),
        what,
        model.revision,
      );
      return { body: answer, endpoint };
    } catch (error) {
      const status = statusOf(error);
      if (status === 422 && endpoint === 'anomaly/prediction') {
        throw error;
      }
      if (status === 404) {
        throw new LatigoError(
          'MODEL_NOT_FOUND',
          `gordo project ${this.project} has no model ${model.name} at revision ${model.revision}`,
          { cause: error, context: { project: this.project, model: model.name } },
        );
      }
      if (status !== undefined && status >= 400 && status < 500) {
        throw new LatigoError(
          'PREDICTION_FAILED',
          `gordo refused the ${what} in project ${this.project} (${status})`,
          { cause: error, context: { project: this.project, model: model.name, status } },
        );
      }
      throw error;
    }
  }

  /** Runs a request and turns a 410 into MODEL_REVISION_GONE, forgetting the latest revision. */
  private async call<T>(request: () => Promise<T>, what: string, revision?: string): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (statusOf(error) !== 410) {
        throw error;
      }
      this.forgetLatestRevision();
      throw new LatigoError(
        'MODEL_REVISION_GONE',
        `gordo project ${this.project} no longer has revision ${revision ?? '(current)'} (410 on ${what})`,
        {
          retriable: true,
          cause: error,
          context: { project: this.project, ...(revision === undefined ? {} : { revision }) },
        },
      );
    }
  }

  private modelPath(name: string): string {
    return `${this.projectPath}/${namePathSegment('model', name)}`;
  }
}

/**
 * A shared (cached) load answers every caller; one caller's abort must not fail the others, so
 * the load runs without a caller's signal (bounded by the request timeout and retries) and each
 * caller stops waiting when its own signal aborts.
 */
function withSignal<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? shared : raceAbort(shared, signal);
}

/** The HTTP status of an HTTP_STATUS error, else undefined. */
export function statusOf(error: unknown): number | undefined {
  if (!isLatigoError(error) || error.code !== 'HTTP_STATUS') {
    return undefined;
  }
  const status = error.context['status'];
  return typeof status === 'number' ? status : undefined;
}
