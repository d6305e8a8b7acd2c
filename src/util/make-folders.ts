import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `folder` and its missing parents, one level at a time. Node 20's
 * `mkdirSync(…, { recursive: true })` never returns for a path under a file system that answers
 * ENOENT to every mkdir (such as /proc); here that is an error naming the folder.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  let current = folder;
  while (!exists(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Another process may have made it meanwhile.
      if ((error as { code?: unknown }).code !== 'EEXIST') {
        throw error;
      }
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}
