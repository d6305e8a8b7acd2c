import type { AnomalyPrediction } from '../../anomaly/index.js';
import type { StandinRequest } from '../common/index.js';
import type { StandinModel } from './build-models.js';
import { htmlPage, readPythonJsonBody, type GordoAnswer } from './answers.js';
import { parseInputTable, selectColumns, type InputTable } from './input-table.js';
import { anomalyTable, plainTable, type OutputRows } from './prediction-output.js';
import type { GordoStandinState } from './standin-state.js';

/**
 * Answers `POST …/anomaly/prediction` (`kind` anomaly) or `POST …/prediction` (`kind` plain) in
 * the server's order of checks (gordo.md §3.5, §3.6): X present, X and y tables usable and of the
 * model's tags, y present for anomalies, the model an anomaly detector, then the model's output.
 */
export function predictionAnswer(
  state: GordoStandinState,
  model: StandinModel,
  request: StandinRequest,
  kind: 'anomaly' | 'plain',
): GordoAnswer {
  const startedMs = Date.now();
  if (request.query.get('format') === 'parquet') {
    return {
      status: 400,
      json: { message: 'This stand-in answers JSON only: leave out format=parquet.' },
    };
  }
  const body = readPythonJsonBody(request);
  const payload =
    body.ok && typeof body.value === 'object' && body.value !== null
      ? (body.value as Record<string, unknown>)
      : {};
  const rawX = payload['X'];
  if (rawX === undefined || rawX === null) {
    return { status: 400, json: { message: 'Cannot predict without "X"' } };
  }

  const x = tableOf(rawX, model.definition.tags);
  if ('answer' in x) {
    return x.answer;
  }
  const rawY = payload['y'];
  let y: { table: InputTable; rows: number[][] } | undefined;
  if (rawY !== undefined && rawY !== null) {
    const parsed = tableOf(rawY, model.targetTags);
    if ('answer' in parsed) {
      return parsed.answer;
    }
    y = parsed;
  }
  if (kind === 'anomaly' && y === undefined) {
    return {
      status: 400,
      json: { message: "Cannot perform anomaly without 'y' to compare against." },
    };
  }
  if (kind === 'anomaly' && state.refusesAnomaly(model.project, model.revision, model.name)) {
    return {
      status: 422,
      json: {
        message:
          "Model is not an AnomalyDetector, it is of type: <class 'latigo.anomaly.PcaAutoencoder'>",
      },
    };
  }
  if (y !== undefined && y.rows.length !== x.rows.length) {
    return serverError();
  }

  let prediction: AnomalyPrediction;
  try {
    prediction = model.model.predict(x.rows, y?.rows);
  } catch (error) {
    if (kind === 'anomaly') {
      return serverError();
    }
    return {
      status: 400,
      json: { error: `ValueError: ${error instanceof Error ? error.message : String(error)}` },
    };
  }

  const offset = model.definition.model_offset;
  const rows: OutputRows = {
    timesMs: x.table.timesMs?.slice(offset),
    positions: x.rows.map((_row, index) => index).slice(offset),
  };
  if (kind === 'plain') {
    return { status: 200, json: { data: plainTable(model, prediction, rows) } };
  }
  return {
    status: 200,
    json: {
      data: anomalyTable(model, prediction, rows, request.query.has('all_columns')),
      'time-seconds': ((Date.now() - startedMs) / 1000).toFixed(4),
    },
  };
}

function tableOf(
  raw: unknown,
  expected: readonly string[],
): { table: InputTable; rows: number[][] } | { answer: GordoAnswer } {
  const table = parseInputTable(raw);
  if ('kind' in table) {
    return table.kind === 'bad-request'
      ? { answer: { status: 400, json: { message: table.message } } }
      : { answer: serverError() };
  }
  const selected = selectColumns(table, expected);
  if ('message' in selected) {
    return { answer: { status: 400, json: { message: selected.message } } };
  }
  return { table, rows: selected.rows };
}

function serverError(): GordoAnswer {
  return {
    status: 500,
    html: htmlPage(
      500,
      'Internal Server Error',
      'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
    ),
  };
}
