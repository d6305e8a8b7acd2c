import Database from 'better-sqlite3';

import { LatigoError } from '../../errors/index.js';

/** One `POST /models` record as the stand-in keeps it. */
export interface StoredModelRecord {
  readonly model_id: number;
  readonly project_name: string;
  readonly model_name: string;
  readonly revision: string | null;
  /** Training period, normalised to ISO 8601 UTC (`...Z`); null when not given. */
  readonly training_time_from: string | null;
  readonly training_time_to: string | null;
  /** When the stand-in received the record, ISO 8601 UTC. */
  readonly received_at: string;
  /** The body as posted. */
  readonly record: Readonly<Record<string, unknown>>;
}

export interface NewModelRecord {
  readonly project_name: string;
  readonly model_name: string;
  readonly revision: string | null;
  readonly training_time_from: string | null;
  readonly training_time_to: string | null;
  readonly record: Readonly<Record<string, unknown>>;
}

interface Row {
  model_id: number;
  project_name: string;
  model_name: string;
  revision: string | null;
  training_time_from: string | null;
  training_time_to: string | null;
  received_at: string;
  body: string;
}

/** The metadata API stand-in's records in SQLite: a file, or `:memory:`. */
export class MetadataStore {
  private readonly database: Database.Database;

  constructor(path: string) {
    try {
      this.database = new Database(path);
    } catch (error) {
      throw new LatigoError(
        'STARTUP_CHECK_FAILED',
        `metadata API stand-in cannot open its database ${path}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (path !== ':memory:') {
      this.database.pragma('journal_mode = WAL');
    }
    this.database.exec(`
      CREATE TABLE IF NOT EXISTS models (
        model_id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_name TEXT NOT NULL,
        model_name TEXT NOT NULL,
        revision TEXT,
        training_time_from TEXT,
        training_time_to TEXT,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS models_by_name ON models (project_name, model_name);
    `);
  }

  /** Stores a record and answers its new model_id. */
  insert(record: NewModelRecord): number {
    const result = this.database
      .prepare(
        `INSERT INTO models (project_name, model_name, revision, training_time_from,
           training_time_to, received_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.project_name,
        record.model_name,
        record.revision,
        record.training_time_from,
        record.training_time_to,
        new Date().toISOString(),
        JSON.stringify(record.record),
      );
    return Number(result.lastInsertRowid);
  }

  /** Records, oldest first, optionally of one project and/or model. */
  list(
    filter: { project_name?: string | null; model_name?: string | null } = {},
  ): StoredModelRecord[] {
    const rows = this.database
      .prepare(
        `SELECT * FROM models
         WHERE (@project IS NULL OR project_name = @project)
           AND (@model IS NULL OR model_name = @model)
         ORDER BY model_id`,
      )
      .all({ project: filter.project_name ?? null, model: filter.model_name ?? null }) as Row[];
    return rows.map(({ body, ...row }) => ({
      ...row,
      record: JSON.parse(body) as Record<string, unknown>,
    }));
  }

  close(): void {
    this.database.close();
  }
}
