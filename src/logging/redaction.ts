import { isPlainObject, isSecretKey, REDACTION_MAX_DEPTH, redactSecrets } from '../util/secrets.js';

/** Keys seen in log lines are few; their verdicts are remembered up to this many. */
const MAX_REMEMBERED_KEYS = 1_000;
const secretKeyVerdicts = new Map<string, boolean>();

/**
 * The log object with every value under a secret key redacted (see `redactSecrets`). Nearly no
 * line holds one, so the object is first checked without copying, and copied only when some key
 * in it, at any depth `redactSecrets` walks, is a secret key.
 */
export function redactLogObject<T>(object: T): T {
  return holdsSecretKey(object, 0) ? redactSecrets(object) : object;
}

/** Whether a plain object or array in `value` has a secret key (whatever its value). */
function holdsSecretKey(value: unknown, depth: number): boolean {
  // As deep as `redactSecrets` walks. A map or list below that counts as holding a secret, so
  // the line goes through `redactSecrets`, which leaves such subtrees out.
  if (depth >= REDACTION_MAX_DEPTH) {
    return Array.isArray(value) || isPlainObject(value);
  }
  if (Array.isArray(value)) {
    return value.some((item) => holdsSecretKey(item, depth + 1));
  }
  if (!isPlainObject(value)) {
    return false;
  }
  for (const key of Object.keys(value)) {
    if (secretKey(key) || holdsSecretKey(value[key], depth + 1)) {
      return true;
    }
  }
  return false;
}

function secretKey(key: string): boolean {
  let verdict = secretKeyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = isSecretKey(key);
    if (secretKeyVerdicts.size < MAX_REMEMBERED_KEYS) {
      secretKeyVerdicts.set(key, verdict);
    }
  }
  return verdict;
}
