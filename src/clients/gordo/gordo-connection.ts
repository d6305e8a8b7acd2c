import { authHeaders, checkAuth, createTokenProvider } from '../../auth/index.js';
import type { ProviderContext } from '../../registry/registry.js';
import { GordoClientPool, ignoredGordoKeys } from './gordo-client-pool.js';
import type { GordoSection } from './gordo-config.js';

/** What both Gordo providers build from their section. */
export interface GordoConnection {
  readonly pool: GordoClientPool;
  /** The start-up check: a token can be had (and verified) when the section asks for auth. */
  readonly check: (signal?: AbortSignal) => Promise<void>;
}

/**
 * Builds the client pool of a `model_info` or `predictor` section of type gordo: its token
 * provider (none without `auth.client_id`), extra headers, retry policy and caches. Logs once,
 * at info, which spec keys are accepted but not used.
 */
export function gordoConnection(config: GordoSection, context: ProviderContext): GordoConnection {
  const logger = context.logger.child({ section: context.section });
  const authSection = `${context.section}.auth`;
  const tokenProvider = createTokenProvider(config.auth, { section: authSection, logger });
  const pool = new GordoClientPool(config, {
    section: context.section,
    tokenProvider,
    headers: authHeaders(config.auth),
    logger,
  });
  logger.info({ ignored: ignoredGordoKeys(config) }, 'gordo config keys accepted but not used');
  return {
    pool,
    check: (signal) =>
      checkAuth(config.auth, tokenProvider, { section: authSection, logger, signal }),
  };
}
