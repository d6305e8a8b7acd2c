import { parsePythonJson } from '../../http/index.js';
import type { StandinRequest } from '../common/index.js';

/** What a Gordo handler answers before the revision hook adds its header and key. */
export type GordoAnswer =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly html: string }
  | { readonly status: number; readonly bytes: string };

/** An error page in the form werkzeug writes. */
export function htmlPage(status: number, title: string, description: string): string {
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${escapeHtml(description)}</p>\n`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Reads a posted body as the server's Python parser would (NaN tokens allowed). */
export function readPythonJsonBody(
  request: StandinRequest,
): { ok: true; value: unknown } | { ok: false } {
  if (request.bodyText.trim() === '') {
    return { ok: true, value: undefined };
  }
  try {
    return { ok: true, value: parsePythonJson(request.bodyText) };
  } catch {
    return { ok: false };
  }
}
