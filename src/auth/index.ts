export {
  authEnabled,
  authHeaders,
  authSchema,
  authorityUrl,
  tokenScopes,
  type AuthConfig,
} from './auth-config.js';
export {
  AuthorityNetworkClient,
  type AuthorityNetworkClientOptions,
} from './authority-network-client.js';
export { checkAuth, type CheckAuthOptions } from './check-auth.js';
export {
  MsalTokenProvider,
  createTokenProvider,
  type TokenProviderOptions,
} from './msal-token-provider.js';
export type { TokenProvider } from './token-provider.js';
