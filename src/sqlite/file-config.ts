import { durationMs, text } from '../config/fields.js';

/** The keys of every section that writes a Latigo SQLite file (predictions, metadata). */
export const sqliteFileShape = {
  /** The database file, created with its folder if missing; relative to the working directory. */
  path: text().prefault('latigo-predictions.sqlite'),
  /** How long a write waits for another process holding the file's write lock. */
  busy_timeout: durationMs().prefault('10s'),
};
