import { parseArgs, type ParseArgsConfig } from 'node:util';

import { LatigoError } from '../../errors/index.js';
import type { CliContext } from '../../cli/command.js';
import { TOKEN_SECRET_ENV } from './bearer.js';
import { faultRuleSchema, type FaultRule } from './faults.js';
import type { StandinAuthOptions, StandinServer } from './server.js';

/** Options every `latigo standin <name>` command accepts. */
export const COMMON_STANDIN_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'base-path': { type: 'string' },
  fault: { type: 'string', multiple: true },
  'token-secret': { type: 'string' },
  audience: { type: 'string', multiple: true },
  'no-auth': { type: 'boolean' },
  'no-control': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The `--help` text of the common options, for each stand-in's usage. */
export const COMMON_STANDIN_USAGE = `Common stand-in options:
  --host <address>        address to bind (default 127.0.0.1)
  --port <number>         port to bind (0 = any free port)
  --base-path <path>      prefix of every service route
  --fault <json>          a fault rule active from the start, repeatable, e.g.
                          '{"type":"status","status":429,"retryAfter":"2","times":3}'
  --token-secret <text>   require bearer tokens signed with this secret
                          (default: $${TOKEN_SECRET_ENV}; no secret = no token check)
  --audience <id>         accepted token audience (resource id), repeatable; default any
  --no-auth               do not check tokens even if a secret is set
  --no-control            do not serve the /_control endpoints
  -h, --help              show this help`;

export interface CommonStandinArgs {
  readonly host: string;
  readonly port: number;
  readonly basePath: string | undefined;
  readonly faults: readonly FaultRule[];
  readonly auth: StandinAuthOptions | undefined;
  readonly control: boolean;
}

type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Parses a stand-in's arguments: the common options plus its own. Unknown options and bad values
 * throw CONFIG_INVALID naming the option.
 */
export function parseStandinArgs<Own extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  own: Own,
): ParsedValues {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { ...COMMON_STANDIN_OPTIONS, ...own },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw new LatigoError(
      'CONFIG_INVALID',
      error instanceof Error ? error.message : String(error),
      {
        cause: error,
      },
    );
  }
}

/** Reads the common options out of parsed values. */
export function commonStandinArgs(
  values: ParsedValues,
  environment: Readonly<Record<string, string | undefined>>,
  defaultPort: number,
): CommonStandinArgs {
  const portText = stringOption(values, 'port');
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `--port: expected a port number, got "${portText ?? ''}"`,
    );
  }
  const faults = listOption(values, 'fault').map((text, index) => parseFaultOption(text, index));
  const secret = stringOption(values, 'token-secret') ?? environment[TOKEN_SECRET_ENV];
  const auth =
    values['no-auth'] === true || secret === undefined || secret === ''
      ? undefined
      : { secret, audiences: listOption(values, 'audience') };
  return {
    host: stringOption(values, 'host') ?? '127.0.0.1',
    port,
    basePath: stringOption(values, 'base-path'),
    faults,
    auth,
    control: values['no-control'] !== true,
  };
}

/** Writes the URL, then serves until the command's signal aborts; closes and answers 0. */
export async function serveUntilAborted(
  server: StandinServer,
  name: string,
  context: CliContext,
): Promise<number> {
  context.out.write(`${name} stand-in listening on ${server.url}\n`);
  if (!context.signal.aborted) {
    await new Promise<void>((resolve) => {
      context.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  await server.close();
  return 0;
}

export function stringOption(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(values: ParsedValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  return typeof value === 'string' ? [value] : [];
}

function parseFaultOption(text: string, index: number): FaultRule {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LatigoError('CONFIG_INVALID', `--fault #${index + 1}: not JSON: ${text}`);
  }
  const parsed = faultRuleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LatigoError(
      'CONFIG_INVALID',
      `--fault #${index + 1}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim(),
    );
  }
  return parsed.data;
}
