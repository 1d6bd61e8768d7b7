import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

/** Where the numbers were measured. */
export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: string;
  os: string;
  node: string;
  /** 1 / 5 / 15-minute load averages when the run started. */
  loadAverage: string;
  langgraph: string;
  langchainCore: string;
}

/** The installed version of a package (in the repo's node_modules, or under `dir`, e.g. 'bench/peers/'). */
export function versionOf(pkg: string, dir = ''): string {
  try {
    const url = new URL(`../${dir}node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The 1 / 5 / 15-minute load averages. */
export function currentLoad(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' / ');
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGb: (totalmem() / 1024 ** 3).toFixed(1),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: currentLoad(),
    langgraph: versionOf('@langchain/langgraph'),
    langchainCore: versionOf('@langchain/core'),
  };
}

/** One line saying where a benchmark runs: the CPU model, cores, Node's version and the load averages now. */
export function machineLine(): string {
  const machine = describeMachine();
  return `${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverage}`;
}
