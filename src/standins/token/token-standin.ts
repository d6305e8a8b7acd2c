import type { Logger } from '../../logging/logger.js';
import type { FaultInjector, FaultRule } from '../common/faults.js';
import type { RequestLog } from '../common/request-log.js';
import { json } from '../common/router.js';
import { startStandinServer } from '../common/server.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';
import { tokenRoutes, type IssuedToken, type TokenClient } from './token-routes.js';

export interface TokenStandinOptions {
  /** App registrations that may get tokens. */
  readonly clients: readonly TokenClient[];
  /** Tenants served; absent or empty accepts any tenant id. */
  readonly tenants?: readonly string[] | undefined;
  /** Secret the tokens are signed with; the other stand-ins verify with the same secret. */
  readonly signingSecret: string;
  /** Lifetime of issued tokens in seconds; default 3600. */
  readonly expiresInSeconds?: number | undefined;
  /** PEM key and certificate to serve; default: a fresh self-signed certificate. */
  readonly tls?: { readonly key: string; readonly cert: string } | undefined;
  /**
   * DNS names the self-signed certificate is also valid for, besides 127.0.0.1, ::1 and
   * localhost (e.g. `token`, the docker compose service name). Not used with `tls`.
   */
  readonly tlsNames?: readonly string[] | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly faults?: readonly FaultRule[] | undefined;
  readonly control?: boolean | undefined;
  readonly logger: Logger;
}

export interface TokenStandin {
  /** `https://127.0.0.1:<port>`: the `authority_host_url` for clients. */
  readonly url: string;
  readonly port: number;
  /** PEM certificate the server presents; write it to the clients' `auth.ca_file`. */
  readonly caCertificate: string;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  /** Tokens issued so far (metadata only), oldest first. */
  issuedTokens(): readonly IssuedToken[];
  close(): Promise<void>;
}

/**
 * Starts the local Azure AD stand-in over HTTPS. Extra control endpoint:
 * `GET /_control/tokens` lists the tokens issued (client, tenant, audience, times).
 */
export async function startTokenStandin(options: TokenStandinOptions): Promise<TokenStandin> {
  const tls = options.tls ?? createSelfSignedCertificate({ dnsNames: options.tlsNames ?? [] });
  const issued: IssuedToken[] = [];
  let baseUrl = '';

  const server = await startStandinServer({
    name: 'token',
    host: options.host,
    port: options.port,
    tls,
    faults: options.faults,
    control: options.control,
    logger: options.logger,
    routes: tokenRoutes({
      clients: options.clients,
      tenants: options.tenants ?? [],
      signingSecret: options.signingSecret,
      expiresInSeconds: options.expiresInSeconds ?? 3600,
      baseUrl: () => baseUrl,
      onIssued: (token) => issued.push(token),
    }),
    controlRoutes: [
      { method: 'GET', path: '/tokens', handler: () => json(200, { tokens: issued }) },
    ],
  });
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    caCertificate: tls.cert,
    faults: server.faults,
    requests: server.requests,
    issuedTokens: () => [...issued],
    close: () => server.close(),
  };
}
