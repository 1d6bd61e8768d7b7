import { readFileSync } from 'node:fs';
import { option } from './cli.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

type Rows = Map<string, { count: number; bytes: number }>;

/**
 * Self size and count per (type, constructor name) in a V8 heap snapshot, largest first: with N nodes in flight,
 * the rows whose count is a multiple of N are what each node keeps alive.
 */
function summarize(file: string): Rows {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const rows = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60);
    const key = `${type} ${name}`;
    const row = rows.get(key) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += snap.nodes[i + sizeAt]!;
    rows.set(key, row);
  }
  return rows;
}

/** The rows of `file`, minus those of `baseline` when given (what the nodes in flight added), largest first. */
export function heapSummary(file: string, baseline?: string, limit = 40): Array<{ what: string; count: number; bytes: number }> {
  const rows = summarize(file);
  const base = baseline === undefined ? new Map() as Rows : summarize(baseline);
  return [...rows]
    .map(([what, r]) => ({ what, count: r.count - (base.get(what)?.count ?? 0), bytes: r.bytes - (base.get(what)?.bytes ?? 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // npx tsx bench/heap-summary.ts <snapshot> [<baseline snapshot>] [--limit=40]
  const [file, baseline] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const limit = Number(option('limit') ?? 40);
  for (const row of heapSummary(file!, baseline, limit)) {
    console.log(`${String(row.bytes).padStart(10)} B ${String(row.count).padStart(8)}×  ${row.what}`);
  }
}
