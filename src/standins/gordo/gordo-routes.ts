import type { Route, StandinRequest, StandinResponse } from '../common/index.js';
import { htmlPage, type GordoAnswer } from './answers.js';
import type { StandinModel } from './build-models.js';
import { metadataDocument } from './metadata-document.js';
import { predictionAnswer } from './prediction-answer.js';
import { gordoJson } from './python-json.js';
import type { GordoStandinState } from './standin-state.js';

interface GordoContext {
  readonly project: string;
  /** The revision used: the one asked for, else the current one. */
  readonly revision: string;
  readonly request: StandinRequest;
}

type GordoHandler = (context: GordoContext) => GordoAnswer;

const API = '/gordo/v0/:project';
const GORDO_NAME = /^[a-zA-Z\d-]+/;

/**
 * The Gordo ML server's routes (gordo.md §2, §3) over the stand-in's models. Every project route
 * first checks the revision (query `revision`, else header `revision`; 410 when not digits or
 * not known), and every answer carries the `revision` header, `Server-Timing`, and in JSON
 * object bodies a `revision` key.
 */
export function gordoRoutes(state: GordoStandinState, serverVersion: string): Route[] {
  const project = (method: Route['method'], path: string, handler: GordoHandler): Route => ({
    method,
    path: `${API}${path}`,
    handler: (request) => serveProject(state, request, handler),
  });

  return [
    {
      method: 'GET',
      path: '/healthcheck',
      public: true,
      handler: () => ({
        status: 200,
        text: '',
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      }),
    },
    {
      method: 'GET',
      path: '/server-version',
      handler: () => {
        const revision = state.currentRevision(state.projects()[0] ?? '') ?? '';
        return finish({ status: 200, json: { version: serverVersion } }, revision, Date.now());
      },
    },
    project('GET', '/revisions', ({ project: name }) => ({
      status: 200,
      json: { latest: state.currentRevision(name), 'available-revisions': state.revisions(name) },
    })),
    project('GET', '/models', ({ project: name, revision }) => ({
      status: 200,
      json: { models: state.modelNames(name, revision) },
    })),
    project('GET', '/expected-models', ({ project: name, revision }) => ({
      status: 200,
      json: { 'expected-models': state.modelNames(name, revision) },
    })),
    project('GET', '/:model/metadata', (context) => metadataAnswer(state, context, serverVersion)),
    project('GET', '/:model/healthcheck', (context) =>
      metadataAnswer(state, context, serverVersion),
    ),
    project('POST', '/:model/anomaly/prediction', (context) =>
      withModel(state, context, (model) =>
        predictionAnswer(state, model, context.request, 'anomaly'),
      ),
    ),
    project('POST', '/:model/prediction', (context) =>
      withModel(state, context, (model) =>
        predictionAnswer(state, model, context.request, 'plain'),
      ),
    ),
    project('GET', '/:model/download-model', (context) =>
      withModel(state, context, (model) => ({ status: 200, bytes: model.serialized })),
    ),
    project('DELETE', '/:model/revision/:deleted', (context) => deleteRevision(state, context)),
  ];
}

function serveProject(
  state: GordoStandinState,
  request: StandinRequest,
  handler: GordoHandler,
): StandinResponse {
  const startedMs = Date.now();
  const project = request.params['project'] ?? '';
  const current = state.currentRevision(project);
  if (current === undefined) {
    return finish(
      { status: 404, html: htmlPage(404, 'Not Found', `No Gordo project '${project}' here.`) },
      '',
      startedMs,
    );
  }
  const asked = request.query.get('revision') ?? headerText(request, 'revision');
  if (asked !== undefined) {
    if (!/^\d+$/.test(asked)) {
      return finish(
        { status: 410, json: { error: 'Revision should only contains numbers.', revision: asked } },
        asked,
        startedMs,
      );
    }
    if (!state.hasRevision(project, asked)) {
      return finish(
        { status: 410, json: { error: `Revision '${asked}' not found.`, revision: asked } },
        asked,
        startedMs,
      );
    }
  }
  const revision = asked ?? current;
  return finish(handler({ project, revision, request }), revision, startedMs);
}

/** Adds what the server's revision hook adds, and serialises the body. */
function finish(answer: GordoAnswer, revision: string, startedMs: number): StandinResponse {
  const headers: Record<string, string> = {
    revision,
    'Server-Timing': `request_walltime_s;dur=${((Date.now() - startedMs) / 1000).toFixed(6)}`,
  };
  if ('json' in answer) {
    headers['Content-Type'] = 'application/json';
    return { status: answer.status, text: gordoJson(answer.json, revision), headers };
  }
  if ('html' in answer) {
    headers['Content-Type'] = 'text/html; charset=utf-8';
    return { status: answer.status, text: answer.html, headers };
  }
  headers['Content-Type'] = 'application/octet-stream';
  return { status: answer.status, text: answer.bytes, headers };
}

function metadataAnswer(
  state: GordoStandinState,
  context: GordoContext,
  serverVersion: string,
): GordoAnswer {
  const name = context.request.params['model'] ?? '';
  if (!GORDO_NAME.test(name)) {
    return badName();
  }
  const model = state.model(context.project, context.revision, name);
  if (model === undefined) {
    return { status: 404, html: htmlPage(404, 'Not Found', `No metadata found for '${name}'`) };
  }
  return { status: 200, json: metadataDocument(model, serverVersion) };
}

function withModel(
  state: GordoStandinState,
  context: GordoContext,
  answer: (model: StandinModel) => GordoAnswer,
): GordoAnswer {
  const name = context.request.params['model'] ?? '';
  if (!GORDO_NAME.test(name)) {
    return badName();
  }
  const model = state.model(context.project, context.revision, name);
  if (model === undefined) {
    return { status: 404, html: htmlPage(404, 'Not Found', `No such model found: '${name}'`) };
  }
  return answer(model);
}

function deleteRevision(state: GordoStandinState, context: GordoContext): GordoAnswer {
  const name = context.request.params['model'] ?? '';
  const deleted = context.request.params['deleted'] ?? '';
  if (!/^\d+$/.test(deleted)) {
    return { status: 422, json: { error: 'Revision should only contains numbers.' } };
  }
  if (deleted === state.currentRevision(context.project)) {
    return { status: 409, json: { error: 'Unable to delete current revision.' } };
  }
  if (state.model(context.project, deleted, name) === undefined) {
    return {
      status: 404,
      html: htmlPage(404, 'Not Found', `No model '${name}' in revision '${deleted}'`),
    };
  }
  state.deleteModel(context.project, deleted, name);
  return { status: 200, json: { ok: true } };
}

function badName(): GordoAnswer {
  return {
    status: 422,
    html: htmlPage(422, 'Unprocessable Entity', 'gordo_name field has wrong format'),
  };
}

function headerText(request: StandinRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
