export {
  TOKEN_SECRET_ENV,
  signToken,
  verifyToken,
  type TokenCheck,
  type TokenClaims,
} from './bearer.js';
export {
  COMMON_STANDIN_OPTIONS,
  COMMON_STANDIN_USAGE,
  commonStandinArgs,
  listOption,
  parseStandinArgs,
  serveUntilAborted,
  stringOption,
  type CommonStandinArgs,
} from './cli.js';
export {
  FaultInjector,
  faultRuleSchema,
  faultRulesSchema,
  type FaultOutcome,
  type FaultRule,
} from './faults.js';
export { RequestLog, loggableHeaders, type LoggedRequest } from './request-log.js';
export {
  Router,
  json,
  problem,
  readJsonBody,
  type Route,
  type RouteHandler,
  type StandinRequest,
  type StandinResponse,
} from './router.js';
export {
  startStandinServer,
  type StandinAuthOptions,
  type StandinServer,
  type StandinServerOptions,
} from './server.js';
