import type { DatabaseSync } from 'node:sqlite';
import { emptyRecord } from '../data/plain-record.js';
import { storedJson } from '../data/stored-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type {
  CheckpointStore,
  HoldRecord,
  ListRunsFilter,
  NodeCheckpoint,
  RunCheckpoint,
  RunSummary,
  SpendRecord,
  StepCheckpoint,
  StoredRun,
} from './checkpoint-store.js';

/** Options of `sqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file (created when missing), or ':memory:'. */
  path: string;
  /**
   * How long a write waits for another process holding the file's lock before it fails.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

type Database = DatabaseSync;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL, input TEXT, shape TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (run_id, node_id));
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL, node_key TEXT NOT NULL, op TEXT NOT NULL, record TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (run_id, node_key, op));
CREATE TABLE IF NOT EXISTS spend (
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, usd REAL NOT NULL, tokens INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS spend_run ON spend (run_id);
CREATE TABLE IF NOT EXISTS holds (
  run_id TEXT NOT NULL, hold_id TEXT NOT NULL, node_id TEXT NOT NULL, usd REAL NOT NULL, tokens INTEGER NOT NULL,
  at INTEGER NOT NULL, PRIMARY KEY (run_id, hold_id));
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at);
`;

/**
 * A checkpoint store in one SQLite file (Node's built-in `node:sqlite`, WAL; nothing to install or compile). Every write is its own transaction and is on disk
 * when its promise resolves, so a process killed right after a node finished keeps that node. Several processes
 * may share the file (SQLite serializes writers; `busyTimeoutMs` bounds the wait).
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private db: Promise<Database> | undefined;

  constructor(private readonly options: SqliteStoreOptions) {
    if (typeof options?.path !== 'string' || options.path === '') {
      throw new SwitchyardError({ kind: 'invalid_config', message: "sqliteStore needs a file path, e.g. sqliteStore({ path: './runs.db' })." });
    }
  }

  async saveRun(run: RunCheckpoint): Promise<void> {
    const db = await this.open();
    db.prepare(
      `INSERT INTO runs (run_id, workflow, status, input, shape, waiting, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET workflow = excluded.workflow, status = excluded.status, input = excluded.input,
       shape = excluded.shape, waiting = excluded.waiting, updated_at = excluded.updated_at`,
    ).run(run.runId, run.workflow, run.status, json(run.input), storedJson(run.shape, 'the workflow shape'), json(run.waiting, 'what the run waits for'), run.createdAt, run.updatedAt);
  }

  async saveStep(runId: string, step: StepCheckpoint): Promise<void> {
    const db = await this.open();
    db.prepare('INSERT OR REPLACE INTO steps (run_id, node_key, op, record, at) VALUES (?, ?, ?, ?, ?)').run(
      runId,
      step.nodeKey,
      step.op,
      storedJson(step.value ?? null, `step '${step.op}' of '${step.nodeKey}'`),
      step.at,
    );
  }

  async saveNodeResult(runId: string, node: NodeCheckpoint): Promise<void> {
    const db = await this.open();
    inTransaction(db, () => {
      const record = storedJson(node, `the result of node '${node.nodeId}'`);
      db.prepare('INSERT OR REPLACE INTO nodes (run_id, node_id, record) VALUES (?, ?, ?)').run(runId, node.nodeId, record);
      db.prepare('UPDATE runs SET updated_at = ? WHERE run_id = ?').run(Date.now(), runId);
    });
  }

  async saveSpend(runId: string, spend: SpendRecord): Promise<void> {
    const db = await this.open();
    db.prepare('INSERT INTO spend (run_id, node_id, usd, tokens, at) VALUES (?, ?, ?, ?, ?)').run(runId, spend.nodeId, spend.usd, spend.tokens, spend.at);
  }

  async saveHold(runId: string, hold: HoldRecord): Promise<void> {
    const db = await this.open();
    db.prepare('INSERT OR REPLACE INTO holds (run_id, hold_id, node_id, usd, tokens, at) VALUES (?, ?, ?, ?, ?, ?)').run(
      runId, hold.holdId, hold.nodeId, hold.usd, hold.tokens, hold.at);
  }

  async settleHold(runId: string, holdId: string, spend: SpendRecord): Promise<void> {
    const db = await this.open();
    inTransaction(db, () => {
      db.prepare('DELETE FROM holds WHERE run_id = ? AND hold_id = ?').run(runId, holdId);
      if (spend.usd > 0 || spend.tokens > 0) {
        db.prepare('INSERT INTO spend (run_id, node_id, usd, tokens, at) VALUES (?, ?, ?, ?, ?)').run(runId, spend.nodeId, spend.usd, spend.tokens, spend.at);
      }
    });
  }

  async loadRun(runId: string): Promise<StoredRun | undefined> {
    const db = await this.open();
    const row = db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as unknown as RunRow | undefined;
    if (!row) return undefined;
    const nodes = emptyRecord<NodeCheckpoint>();
    for (const n of db.prepare('SELECT record FROM nodes WHERE run_id = ?').all(runId) as unknown as Array<{ record: string }>) {
      const node = JSON.parse(n.record) as NodeCheckpoint;
      nodes[node.nodeId] = node;
    }
    const steps: StoredRun['steps'] = emptyRecord();
    for (const row of db.prepare('SELECT node_key, op, record FROM steps WHERE run_id = ?').all(runId) as unknown as StepRow[]) {
      (steps[row.node_key] ??= emptyRecord())[row.op] = JSON.parse(row.record);
    }
    const spent = { usd: 0, tokens: 0 };
    const spentByNode: StoredRun['spentByNode'] = emptyRecord();
    const sums = db.prepare('SELECT node_id, SUM(usd) AS usd, SUM(tokens) AS tokens FROM spend WHERE run_id = ? GROUP BY node_id').all(runId);
    for (const s of sums as unknown as Array<{ node_id: string; usd: number; tokens: number }>) {
      spentByNode[s.node_id] = { usd: s.usd, tokens: s.tokens };
      spent.usd += s.usd;
      spent.tokens += s.tokens;
    }
    const holds = (db.prepare('SELECT hold_id, node_id, usd, tokens, at FROM holds WHERE run_id = ?').all(runId) as unknown as HoldRow[]).map(
      (h): HoldRecord => ({ holdId: h.hold_id, nodeId: h.node_id, usd: h.usd, tokens: h.tokens, at: h.at }),
    );
    return { ...toCheckpoint(row), nodes, steps, spent, spentByNode, holds };
  }

  async listRuns(filter: ListRunsFilter = {}): Promise<RunSummary[]> {
    const db = await this.open();
    const rows = db
      .prepare(
        `SELECT r.run_id, r.workflow, r.status, r.created_at, r.updated_at,
           (SELECT COUNT(*) FROM nodes n WHERE n.run_id = r.run_id) AS completed,
           (SELECT COALESCE(SUM(usd), 0) FROM spend s WHERE s.run_id = r.run_id) AS spent
         FROM runs r WHERE (? IS NULL OR r.status = ?) AND (? IS NULL OR r.workflow = ?)
         ORDER BY r.created_at DESC LIMIT ?`,
      )
      .all(filter.status ?? null, filter.status ?? null, filter.workflow ?? null, filter.workflow ?? null, filter.limit ?? 100) as unknown as Array<
      RunRow & { completed: number; spent: number }
    >;
    return rows.map((r) => ({
      runId: r.run_id,
      workflow: r.workflow,
      status: r.status,
      completed: r.completed,
      spentUsd: r.spent,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (db) (await db).close();
  }

  private open(): Promise<Database> {
    this.db ??= openDatabase(this.options);
    return this.db;
  }
}

interface HoldRow {
  hold_id: string;
  node_id: string;
  usd: number;
  tokens: number;
  at: number;
}

interface StepRow {
  node_key: string;
  op: string;
  record: string;
}

interface RunRow {
  run_id: string;
  workflow: string;
  status: RunCheckpoint['status'];
  input: string | null;
  shape: string;
  waiting: string | null;
  created_at: number;
  updated_at: number;
}

function toCheckpoint(row: RunRow): RunCheckpoint {
  const run: RunCheckpoint = {
    runId: row.run_id,
    workflow: row.workflow,
    status: row.status,
    input: row.input === null ? undefined : JSON.parse(row.input),
    shape: JSON.parse(row.shape) as RunCheckpoint['shape'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.waiting !== null) run.waiting = JSON.parse(row.waiting) as RunCheckpoint['waiting'];
  return run;
}

/** Adds the columns later versions introduced to a database an earlier version created. */
function migrate(db: Database): void {
  const columns = db.prepare('PRAGMA table_info(runs)').all() as unknown as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'waiting')) db.exec('ALTER TABLE runs ADD COLUMN waiting TEXT');
}

function json(value: unknown, what = 'the run input'): string | null {
  return value === undefined ? null : storedJson(value, what);
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
function inTransaction(db: Database, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

async function openDatabase(options: SqliteStoreOptions): Promise<Database> {
  // Loaded on first use: Node 22 prints an ExperimentalWarning when node:sqlite is first imported.
  const { DatabaseSync } = await import('node:sqlite');
  let db: Database;
  try {
    db = new DatabaseSync(options.path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec(SCHEMA);
    migrate(db);
  } catch (error) {
    throw new SwitchyardError({
      kind: 'store_unavailable',
      message: `Cannot open the checkpoint database '${options.path}': ${(error as Error).message}. Check that its folder exists and is writable.`,
      cause: error,
    });
  }
  return db;
}

/** A checkpoint store in one SQLite file (see `SqliteCheckpointStore`), on Node's built-in `node:sqlite`. */
export function sqliteStore(options: SqliteStoreOptions | string): CheckpointStore {
  return new SqliteCheckpointStore(typeof options === 'string' ? { path: options } : options);
}
