import { EventEmitter } from 'eventemitter3';
import { EventConsumer } from './event-consumer.js';
import type { RunEvent, StampedPayload } from './events.js';
import type { EventStamp, MetricPayload } from '../observe/metrics-collector.js';
import { sharedNow } from '../call/shared-now.js';
import { TextDeltaPayload } from '../call/text-delta-payload.js';

/** Sees every payload of a run with its stamps, before any handler (the run's metrics). */
export type PayloadTap = (payload: MetricPayload, at: EventStamp) => void;

/** The stamps of the payload being emitted, handed to the tap (one object per hub: the tap reads, never keeps it). */
type MutableStamp = { -readonly [K in keyof EventStamp]: EventStamp[K] };

/**
 * The merged stream of one run: stamps each payload with runId, seq and t, and delivers it to every attached
 * async consumer and to `on` handlers. Nothing is kept for consumers that are not attached, so a run nobody
 * listens to buffers nothing; and an event of a type nobody listens to is not built at all (its payload goes to
 * the tap alone, and its seq is still taken, so a listener attached later sees the same seq numbers).
 */
export class EventHub {
  readonly emitter = new EventEmitter();
  readonly runId: string;
  /**
   * The wall clock (`Date.now()`, epoch ms) when the run began, at `t0`. The run's timestamps are this plus the
   * monotonic time since (`epochNow`), so they start on the wall clock and never go backwards within the run.
   * `performance.timeOrigin + performance.now()` does not start on it: its origin is fixed when the process started,
   * and the wall clock moves away from it when the system corrects its time (at once on a clock step; by a
   * millisecond within minutes on a freshly started virtual machine, measured).
   */
  readonly epochT0: number;
  readonly #t0: number;
  #seq = 0;
  #consumers: EventConsumer[] = [];
  #closed = false;
  #error: unknown;
  #tap: PayloadTap | undefined;
  readonly #stamp: MutableStamp;

  constructor(runId: string, t0: number = performance.now()) {
    this.runId = runId;
    this.#t0 = t0;
    this.epochT0 = Date.now();
    this.#stamp = { runId, t: 0, nodeId: undefined, item: undefined };
  }

  /** Feeds every payload to `tap` from now on, ahead of every handler and consumer (the run's metrics collector). */
  tap(tap: PayloadTap): void {
    this.#tap = tap;
  }

  /** Now on the run's clock, in epoch ms (see `epochT0`): node and run start and end times. */
  epochNow(): number {
    return this.epochT0 + (performance.now() - this.#t0);
  }

  /** Stamps and delivers one event; `nodeId` and `item` are added when given. */
  emit(payload: StampedPayload, nodeId?: string, item?: number): void {
    if (this.#closed) return;
    const seq = ++this.#seq;
    const t = Math.round((sharedNow() - this.#t0) * 1000) / 1000;
    if (this.#tap !== undefined) this.#feed(this.#tap, payload, t, nodeId, item);
    const consumers = this.#consumers;
    if (consumers.length === 0 && !this.#listened(payload.type)) return;
    let event: RunEvent;
    if (payload instanceof TextDeltaPayload && nodeId !== undefined && item === undefined) {
      // The same fields in the same order as below, built in one literal (no property-array growth).
      const { text, attempt, model, provider } = payload;
      event = { type: 'text-delta', runId: this.runId, seq, t, nodeId, text, attempt, model, provider };
    } else {
      event = { type: payload.type, runId: this.runId, seq, t } as RunEvent;
      if (nodeId !== undefined) event.nodeId = nodeId;
      if (item !== undefined) event.item = item;
      Object.assign(event, payload);
    }
    for (let i = 0; i < consumers.length; i++) consumers[i]!.push(event);
    this.#notify(event);
  }

  /** Attaches a new async consumer; it sees every event emitted from now on. */
  subscribe(): EventConsumer {
    const consumer = new EventConsumer((c) => {
      this.#consumers = this.#consumers.filter((x) => x !== c);
    });
    if (this.#closed) consumer.end(this.#error);
    else this.#consumers = [...this.#consumers, consumer];
    return consumer;
  }

  /** Ends the stream: consumers drain what they hold, then finish (or throw `error`). */
  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    for (const consumer of this.#consumers) consumer.end(error);
    this.#consumers = [];
  }

  #listened(type: string): boolean {
    const emitter = this.emitter;
    return emitter.listenerCount(type) > 0 || emitter.listenerCount('*') > 0;
  }

  #feed(tap: PayloadTap, payload: StampedPayload, t: number, nodeId: string | undefined, item: number | undefined): void {
    const stamp = this.#stamp;
    stamp.t = t;
    stamp.nodeId = nodeId;
    stamp.item = item;
    try {
      tap(payload, stamp);
    } catch (error) {
      surfaceLater(error);
    }
  }

  #notify(event: RunEvent): void {
    deliver(this.emitter, event.type, event);
    deliver(this.emitter, '*', event);
  }
}

function deliver(emitter: EventEmitter, type: string, event: RunEvent): void {
  try {
    emitter.emit(type, event);
  } catch (error) {
    surfaceLater(error);
  }
}

/** A throwing handler (or tap) must not break the run, or the model call that emitted: it surfaces as uncaught. */
function surfaceLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
