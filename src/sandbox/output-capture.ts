/** Collects a process's stdout and stderr up to a byte cap; reports when the cap is passed. */
export class OutputCapture {
  readonly #max: number;
  #bytes = 0;
  #stdout: Buffer[] = [];
  #stderr: Buffer[] = [];
  #both: Buffer[] = [];
  truncated = false;

  constructor(maxBytes: number) {
    this.#max = maxBytes;
  }

  /** Adds a chunk; returns false once the cap is passed (the rest of the chunk is dropped). */
  add(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    if (this.truncated) return false;
    const room = this.#max - this.#bytes;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, Math.max(0, room));
    this.#bytes += kept.length;
    (stream === 'stdout' ? this.#stdout : this.#stderr).push(kept);
    this.#both.push(kept);
    if (kept.length < chunk.length) this.truncated = true;
    return !this.truncated;
  }

  get stdout(): string {
    return Buffer.concat(this.#stdout).toString('utf8');
  }

  get stderr(): string {
    return Buffer.concat(this.#stderr).toString('utf8');
  }

  get output(): string {
    return Buffer.concat(this.#both).toString('utf8');
  }
}
