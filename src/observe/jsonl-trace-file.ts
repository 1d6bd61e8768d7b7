import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { boundedJson } from '../data/bounded-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { scrubSecrets } from './scrub-secrets.js';
import type { TraceRecord, TraceWriter } from './trace-types.js';

/**
 * A trace file of JSON lines. Lines are buffered for the current turn of the event loop only and written with a
 * synchronous `write` at its end (one system call per burst of events), so whatever was emitted before a crash
 * — even a SIGKILL — is in the file, and the file is always a sequence of whole lines (but for, at worst, a cut
 * last line if the machine itself goes down mid-write). Each line is bounded (`boundedJson`: nesting past 128
 * levels, circular references and lines past 1 MB are cut, with a marker saying what was cut), and a file that
 * cannot be written any more (disk full, removed) stops the trace, not the run: `failure` says why.
 */
export class JsonlTraceFile implements TraceWriter {
  #fd: number | undefined;
  #lines: string[] = [];
  #scheduled = false;
  /** Why the trace stopped being written part-way (the file could not be written), if it did. */
  failure: Error | undefined;

  /** Creates (or truncates) the file, and its folder if needed. Throws kind 'invalid_request' when it cannot. */
  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.#fd = openSync(path, 'w');
    } catch (error) {
      throw new SwitchyardError({
        kind: 'invalid_request',
        message: `Cannot open the trace file '${path}': ${(error as Error).message}. Pass a writable path as the run's \`trace\` option.`,
        cause: error,
      });
    }
  }

  write(record: TraceRecord): void {
    if (this.#fd === undefined) return;
    this.#lines.push(scrubSecrets(boundedJson(record)) + '\n');
    if (record.type === 'run-end') return this.flush();
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Writes the buffered lines now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#fd === undefined || this.#lines.length === 0) return;
    const data = Buffer.from(this.#lines.join(''), 'utf8');
    this.#lines = [];
    try {
      let offset = 0;
      while (offset < data.length) offset += writeSync(this.#fd, data, offset);
    } catch (error) {
      this.failure = error as Error;
      this.#stop();
    }
  }

  #stop(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    this.#lines = [];
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already unusable
      }
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.flush();
    this.#stop();
  }
}
