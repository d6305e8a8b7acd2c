import { trimToWindow, type PredictionData } from '../../domain/prediction.js';
import { formatRange, type TimeRange } from '../../domain/time-range.js';
import { LatigoError, isLatigoError } from '../../errors/index.js';
import type { PredictionExecutionProvider, PredictionRequest } from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';
import type { GordoClientPool } from '../../clients/gordo/gordo-client-pool.js';
import type { GordoProjectClient } from '../../clients/gordo/gordo-project-client.js';
import { followSignal } from '../../util/abort.js';
import { mapLimit } from '../../util/map-limit.js';
import type { GordoModel } from '../../clients/gordo/model-metadata.js';
import { PredictionCells } from '../../clients/gordo/prediction-table.js';
import { predictionRequestBody } from '../../clients/gordo/request-body.js';
import type { Frame } from '../../timeseries/resample.js';
import { filterRows } from './filter-rows.js';
import { batchRanges, inputFrame, widenedRange } from './input-frame.js';

export interface GordoPredictionOptions {
  /** Rows per request. */
  readonly batchSize: number;
  /** Requests in flight per prediction. */
  readonly parallelism: number;
  /** Start-up check, e.g. that a token can be had. */
  readonly check?: ((signal?: AbortSignal) => Promise<void>) | undefined;
  readonly logger: Logger;
}

/**
 * Predictions from Gordo's anomaly endpoint (gordo.md §7): the window is widened by the model's
 * offset plus five steps, sensor data is resampled as gordo-client does, the model's row_filter
 * drops rows (its trigger tags are read but never sent), rows go out in batches of `batchSize`
 * with `parallelism` requests in flight, keyed by tag name in the model's order.
 * A 422 from the anomaly endpoint switches the model to `/prediction`; a 410 (revision gone)
 * reads the latest revision and predicts once more. Results are mapped back by timestamp and
 * trimmed to the window; non-finite values are kept as NaN and counted.
 */
export class GordoPredictionExecutionProvider implements PredictionExecutionProvider {
  constructor(
    private readonly pool: GordoClientPool,
    private readonly options: GordoPredictionOptions,
  ) {}

  async inputRange(
    project: string,
    model: string,
    window: TimeRange,
    signal?: AbortSignal,
  ): Promise<TimeRange> {
    const client = this.pool.project(project);
    return widenedRange(await this.latestModel(client, model, signal), window);
  }

  async executePrediction(
    request: PredictionRequest,
    signal?: AbortSignal,
  ): Promise<PredictionData> {
    const client = this.pool.project(request.project);
    const model = await this.latestModel(client, request.model, signal);
    const frame = this.rowsToSend(model, request);
    try {
      return await this.predict(client, model, frame, request.window, signal);
    } catch (error) {
      if (!isLatigoError(error) || error.code !== 'MODEL_REVISION_GONE') {
        throw error;
      }
      const renewed = await this.latestModel(client, request.model, signal);
      if (!sameInputs(model, renewed)) {
        throw new LatigoError(
          'MODEL_REVISION_GONE',
          `model ${request.project}/${request.model}: revision ${renewed.revision} replaced ${model.revision} and reads other data; the task must start again`,
          { retriable: true, cause: error, context: { revision: renewed.revision } },
        );
      }
      this.options.logger.info(
        {
          project: request.project,
          model: request.model,
          from: model.revision,
          to: renewed.revision,
        },
        'gordo revision changed during a prediction; predicting again with the new revision',
      );
      return this.predict(client, renewed, frame, request.window, signal);
    }
  }

  async check(signal?: AbortSignal): Promise<void> {
    await this.options.check?.(signal);
  }

  private async latestModel(
    client: GordoProjectClient,
    name: string,
    signal?: AbortSignal,
  ): Promise<GordoModel> {
    const model = await client.atLatestRevision(
      (revision) => client.model(name, revision, signal),
      signal,
    );
    if (model === undefined) {
      throw new LatigoError(
        'MODEL_NOT_FOUND',
        `gordo project ${client.project} has no model ${name}`,
        {
          context: { project: client.project, model: name },
        },
      );
    }
    return model;
  }

  /** The resampled rows of the request that the model's row_filter keeps. */
  private rowsToSend(model: GordoModel, request: PredictionRequest): Frame {
    const complete = inputFrame(model, request.sensorData, request.window);
    const filtered = filterRows(model, complete, request.window);
    if (model.rowFilter.conditions.length > 0) {
      this.options.logger.debug(
        {
          project: model.project,
          model: model.name,
          revision: model.revision,
          window: formatRange(request.window),
          rowsDropped: filtered.droppedRows,
          rowsKept: filtered.frame.timesMs.length,
        },
        'gordo row_filter applied',
      );
    }
    return filtered.frame;
  }

  /** Sends every batch at one revision; the first failure cancels the batches still running. */
  private async predict(
    client: GordoProjectClient,
    model: GordoModel,
    frame: Frame,
    window: TimeRange,
    signal?: AbortSignal,
  ): Promise<PredictionData> {
    const where = `model ${model.project}/${model.name} window ${formatRange(window)}`;
    const tags = model.tags.map((tag) => tag.name);
    const targets = model.targetTags.map((tag) => tag.name);
    const batches = batchRanges(frame.timesMs.length, this.options.batchSize, model.modelOffset);
    const cancel = followSignal(signal);
    const batchSignal = cancel.controller.signal;
    const cells = new PredictionCells();
    const endpoints = new Set<string>();

    try {
      await mapLimit(batches, this.options.parallelism, async (batch) => {
        const body = predictionRequestBody(frame, batch, tags, targets, where);
        const answer = await client.predict(model, body, batchSignal);
        endpoints.add(answer.endpoint);
        cells.add(answer.body.data, where);
      });
    } catch (error) {
      cancel.controller.abort();
      throw error;
    } finally {
      cancel.release();
    }

    const rows = cells.toRows(tags, targets);
    this.options.logger.debug(
      {
        project: model.project,
        model: model.name,
        revision: model.revision,
        window: formatRange(window),
        batches: batches.length,
        rowsSent: frame.timesMs.length,
        rowsReturned: rows.timesMs.length,
        endpoints: [...endpoints].join(','),
        skippedGroups: cells.skippedGroups.join(','),
      },
      'gordo prediction received',
    );
    return trimToWindow({
      project: model.project,
      model: model.name,
      window,
      revision: model.revision,
      timesMs: rows.timesMs,
      columns: rows.columns,
      nonFiniteCount: rows.nonFiniteCount,
    });
  }
}

/** Whether two revisions of a model read and shape the same data (so a frame can be reused). */
function sameInputs(a: GordoModel, b: GordoModel): boolean {
  const names = (model: GordoModel) =>
    [
      model.tags.map((tag) => tag.name).join('\u0000'),
      model.targetTags.map((tag) => tag.name).join('\u0000'),
      model.triggerTags.map((tag) => tag.name).join('\u0000'),
    ].join('\u0001');
  return (
    names(a) === names(b) &&
    a.rowFilter.expressions.join('\u0000') === b.rowFilter.expressions.join('\u0000') &&
    a.resolutionMs === b.resolutionMs &&
    a.modelOffset === b.modelOffset &&
    a.aggregation === b.aggregation &&
    a.interpolation === b.interpolation &&
    a.interpolationLimitMs === b.interpolationLimitMs
  );
}
