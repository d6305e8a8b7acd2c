import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { LatigoError } from '../errors/index.js';
import { makeFolders } from '../util/make-folders.js';
import { SCHEMA_STATEMENTS } from './schema.js';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** The database file; a relative path is resolved from the working directory. */
  readonly path: string;
  /** How long a write waits for another connection's lock before failing, in ms. */
  readonly busyTimeoutMs: number;
}

/** SQLite's name for a database that lives in memory only and is never written to a file. */
export const IN_MEMORY = ':memory:';

/** Pause between tries to open a database another process is setting up. */
const OPEN_RETRY_PAUSE_MS = 20;

/**
 * Opens (and creates, with its folder) a Latigo SQLite file in WAL mode with a busy timeout, so
 * that several processes can write it, and creates the tables if they are missing. Throws
 * STORAGE_FAILED naming the file.
 *
 * Switching a new file to WAL can answer SQLITE_BUSY at once, without waiting the busy timeout,
 * while another process does the same: opening is then tried again until the busy timeout is over.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const inMemory = options.path === IN_MEMORY;
  const path = inMemory ? IN_MEMORY : resolve(options.path);
  const deadline = Date.now() + options.busyTimeoutMs;
  for (;;) {
    try {
      if (!inMemory) {
        makeFolders(dirname(path));
      }
      return openOnce(path, options.busyTimeoutMs);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if ((code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') && Date.now() < deadline) {
        pauseSync(OPEN_RETRY_PAUSE_MS);
        continue;
      }
      throw sqliteError(error, `cannot open the SQLite database ${path}`, path);
    }
  }
}

function openOnce(path: string, busyTimeoutMs: number): SqliteDatabase {
  const database = new Database(path, { timeout: busyTimeoutMs });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database
      .transaction(() => {
        for (const statement of SCHEMA_STATEMENTS) {
          database.exec(statement);
        }
      })
      .immediate();
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/** Blocks the thread for `ms` (opening happens once, at start-up, before any work). */
function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A LatigoError for a failed SQLite operation; a busy or locked database is retriable. */
export function sqliteError(error: unknown, message: string, path: string): LatigoError {
  if (error instanceof LatigoError) {
    return error;
  }
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return new LatigoError('STORAGE_FAILED', `${message}: ${reason}`, {
    cause: error,
    retriable: code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED',
    context: { file: path, sqliteCode: typeof code === 'string' ? code : undefined },
  });
}
