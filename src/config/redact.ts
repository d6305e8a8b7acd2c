import { REDACTED, isSecretKey, redactSecrets } from '../util/secrets.js';

export { REDACTED, isSecretKey };

/** A deep copy of a config with every secret value replaced, for printing and logging. */
export function redactConfig<T>(config: T): T {
  return redactSecrets(config);
}
