import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of Latigo's package.json, found from this module (works from src/ and dist/src/). */
export function packageRoot(): string {
  let current = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1) {
    if (existsSync(join(current, 'package.json')) && existsSync(join(current, 'deploy'))) {
      return current;
    }
    current = dirname(current);
  }
  return process.cwd();
}

let cachedVersion: string | undefined;

/** Latigo's version from package.json. */
export function latigoVersion(): string {
  if (cachedVersion === undefined) {
    const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    cachedVersion = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return cachedVersion;
}
