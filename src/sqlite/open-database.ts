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

/**
 * Opens (and creates, with its folder) a Latigo SQLite file in WAL mode with a busy timeout, so
 * that several processes can write it, and creates the tables if they are missing. Throws
 * STORAGE_FAILED naming the file.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const inMemory = options.path === IN_MEMORY;
  const path = inMemory ? IN_MEMORY : resolve(options.path);
  try {
    if (!inMemory) {
      makeFolders(dirname(path));
    }
    const database = new Database(path, { timeout: options.busyTimeoutMs });
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
    throw sqliteError(error, `cannot open the SQLite database ${path}`, path);
  }
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
