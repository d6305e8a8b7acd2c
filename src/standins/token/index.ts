export {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
} from './self-signed-certificate.js';
export { TOKEN_CLIENTS_ENV, tokenStandinCommand } from './token-command.js';
export type { IssuedToken, TokenClient } from './token-routes.js';
export { startTokenStandin, type TokenStandin, type TokenStandinOptions } from './token-standin.js';
