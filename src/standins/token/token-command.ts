import { readFileSync, writeFileSync } from 'node:fs';

import type { CliCommand } from '../../cli/command.js';
import { LatigoError } from '../../errors/index.js';
import { TOKEN_SECRET_ENV } from '../common/bearer.js';
import {
  COMMON_STANDIN_USAGE,
  commonStandinArgs,
  listOption,
  parseStandinArgs,
  serveUntilAborted,
  stringOption,
} from '../common/cli.js';
import type { TokenClient } from './token-routes.js';
import { startTokenStandin } from './token-standin.js';

/** Environment variable listing clients as `id:secret,id:secret`. */
export const TOKEN_CLIENTS_ENV = 'LATIGO_STANDIN_TOKEN_CLIENTS';

const DEFAULT_PORT = 8400;

const OWN_OPTIONS = {
  client: { type: 'string', multiple: true },
  tenant: { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-name': { type: 'string', multiple: true },
  'write-ca': { type: 'string' },
} as const;

const USAGE = `Usage: latigo standin token [options]

A local Azure AD stand-in: issues client-credentials tokens over HTTPS at
  POST /{tenant}/oauth2/v2.0/token   (scope=<resource>/.default, what MSAL uses)
  POST /{tenant}/oauth2/token        (AAD v1, resource=<resource>)
with the discovery documents MSAL reads. Tokens are HS256 JWTs signed with the
shared secret, which the other stand-ins use to check them.

Options:
  --client <id:secret>    a client that may get tokens, repeatable
                          (also $${TOKEN_CLIENTS_ENV}="id:secret,id2:secret2")
  --tenant <id>           a tenant served, repeatable (default: any)
  --expires-in <seconds>  token lifetime (default 3600)
  --tls-cert <file>       PEM certificate to serve (default: self-signed, made at start)
  --tls-key <file>        PEM key of --tls-cert
  --tls-name <dns name>   also make the self-signed certificate valid for this host name,
                          repeatable (e.g. the docker compose service name "token")
  --write-ca <file>       write the served certificate here, for the clients' auth.ca_file
  The signing secret is --token-secret or $${TOKEN_SECRET_ENV} (required).
  Default port ${DEFAULT_PORT}.

${COMMON_STANDIN_USAGE}`;

/** `latigo standin token`: runs the token stand-in until SIGINT/SIGTERM. */
export const tokenStandinCommand: CliCommand = {
  name: 'token',
  summary: 'run the local Azure AD token endpoint stand-in (HTTPS)',
  usage: USAGE,
  run: async (args, context) => {
    const values = parseStandinArgs(args, OWN_OPTIONS);
    if (values['help'] === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const common = commonStandinArgs(values, context.environment, DEFAULT_PORT);
    const signingSecret =
      stringOption(values, 'token-secret') ?? context.environment[TOKEN_SECRET_ENV];
    if (signingSecret === undefined || signingSecret === '') {
      throw new LatigoError(
        'CONFIG_INVALID',
        `the token stand-in needs a signing secret: --token-secret or $${TOKEN_SECRET_ENV}`,
      );
    }
    const clients = parseClients([
      ...listOption(values, 'client'),
      ...(context.environment[TOKEN_CLIENTS_ENV] ?? '').split(',').filter((item) => item !== ''),
    ]);
    const expiresInText = stringOption(values, 'expires-in') ?? '3600';
    const expiresInSeconds = Number(expiresInText);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) {
      throw new LatigoError(
        'CONFIG_INVALID',
        `--expires-in: expected whole seconds, got "${expiresInText}"`,
      );
    }
    const standin = await startTokenStandin({
      clients,
      tenants: listOption(values, 'tenant'),
      signingSecret,
      expiresInSeconds,
      tlsNames: tlsNames(values),
      tls: readTls(stringOption(values, 'tls-cert'), stringOption(values, 'tls-key')),
      host: common.host,
      port: common.port,
      faults: common.faults,
      control: common.control,
      logger: context.logger,
    });
    const caFile = stringOption(values, 'write-ca');
    if (caFile !== undefined) {
      writeFileSync(caFile, standin.caCertificate);
      context.out.write(`token stand-in certificate written to ${caFile}\n`);
    }
    return serveUntilAborted(standin, 'token', context);
  },
};

function parseClients(items: readonly string[]): TokenClient[] {
  if (items.length === 0) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `the token stand-in needs at least one client: --client id:secret or $${TOKEN_CLIENTS_ENV}`,
    );
  }
  return items.map((item) => {
    const colon = item.indexOf(':');
    if (colon <= 0 || colon === item.length - 1) {
      throw new LatigoError(
        'CONFIG_INVALID',
        'a client must be given as id:secret (both non-empty)',
      );
    }
    return { clientId: item.slice(0, colon), clientSecret: item.slice(colon + 1) };
  });
}

const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The `--tls-name` host names: DNS names, only for the self-signed certificate. */
function tlsNames(values: ReturnType<typeof parseStandinArgs>): string[] {
  const names = listOption(values, 'tls-name');
  const bad = names.find((name) => !DNS_NAME.test(name));
  if (bad !== undefined) {
    throw new LatigoError('CONFIG_INVALID', `--tls-name: "${bad}" is not a DNS host name`);
  }
  if (names.length > 0 && stringOption(values, 'tls-cert') !== undefined) {
    throw new LatigoError(
      'CONFIG_INVALID',
      '--tls-name applies to the self-signed certificate; it cannot be combined with --tls-cert',
    );
  }
  return names;
}

function readTls(
  certFile: string | undefined,
  keyFile: string | undefined,
): { key: string; cert: string } | undefined {
  if (certFile === undefined && keyFile === undefined) {
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new LatigoError('CONFIG_INVALID', '--tls-cert and --tls-key go together');
  }
  try {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `cannot read the TLS files ${certFile}, ${keyFile}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
