/**
 * A server that echoes the API key everywhere — request-id headers, the error body's `request_id`, `code`, `type`
 * and message, URL-encoded and base64, and inside streamed text split across chunks — through the OpenAI,
 * Anthropic and Gemini SDKs. The key (shaped like none of the known key patterns) once reached `error.requestId`,
 * `error.cause.code`, events, `run.result`, the trace file and BullMQ's Redis data. Now nothing that leaves an
 * adapter carries it, in any form.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { reportHtml, type RunEvent } from '../src/index.js';
import { MIN_CONTENT_SECRET_LENGTH, SecretRedactor } from '../src/providers/redact.js';
import { bullmq } from '../src/redis/index.js';
import { keyForms, startKeyEchoServer, type KeyEchoServer } from './fixtures/key-echo-server.js';
import { ECHOED_KEY, keyEchoSwitchyard, keyEchoWorkflow } from './fixtures/key-echo-workflow.js';
import { releasedAfterAll } from './fixtures/released-after-all.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const FORMS = keyForms(ECHOED_KEY);
const NODES = ['openai', 'anthropic', 'google'] as const;
const resources = releasedAfterAll();

async function echoServer(stream = false): Promise<KeyEchoServer> {
  return resources.closing(await startKeyEchoServer({ stream }));
}

/** Fails naming the place and the form when any form of the key is in `text`. */
function expectNoKey(where: string, text: string): void {
  for (const form of FORMS) {
    const at = text.indexOf(form);
    expect(at, `${where} holds the key as ${form}: …${text.slice(Math.max(0, at - 100), at + form.length + 20)}…`).toBe(-1);
  }
}

/** Everything a value holds, hidden fields and cause chains included. */
const everything = (value: unknown) => inspect(value, { depth: 30, showHidden: true, maxArrayLength: null, maxStringLength: null });

function traceFile(): string {
  return join(resources.folder(mkdtempSync(join(tmpdir(), 'secret-echo-'))), 'trace.jsonl');
}

describe('a server that echoes the key in its errors', () => {
  test('no form of the key in errors (request ids, codes, causes), events, run.result, the trace or the report', async () => {
    const server = await echoServer();
    const trace = traceFile();
    const run = keyEchoSwitchyard(server.url).run(keyEchoWorkflow(), {}, { trace, onError: 'continue' });
    const events: RunEvent[] = [];
    run.on('*', (event) => events.push(event));
    const result = await run.result;

    expect(server.keys).toEqual([ECHOED_KEY, ECHOED_KEY, ECHOED_KEY]); // each SDK sent it; the server echoed it
    for (const id of NODES) {
      const error = result.nodes[id].error!;
      expect(error.kind).toBe('bad_request');
      expect(error.requestId).toBe('[redacted]');
      expectNoKey(`the ${id} error`, everything(error));
    }
    expect((result.nodes.openai.error!.cause as { code?: unknown }).code).toBe('[redacted]');
    expectNoKey('events', everything(events));
    expectNoKey('run.result', everything(result));
    const traceText = readFileSync(trace, 'utf8');
    expect(traceText).toContain('[redacted]');
    expectNoKey('the trace file', traceText);
    expectNoKey('the report', reportHtml(traceText));
  });

  test('BullMQ: no form of the key in the events, the committed results or anything else in Redis', async () => {
    const server = await echoServer();
    const id = randomUUID().slice(0, 8);
    const [queue, prefix] = [`q-key-${id}`, `test:key:${id}:`];
    const worker = resources.child(spawnTsx('key-echo-worker.ts', [redisUrl(), queue, prefix, server.url]));
    await worker.line((l) => l === 'ready');
    const executor = resources.closing(bullmq({ connection: redisUrl(), queue, prefix }));
    const [redis, listener] = [new Redis(redisUrl()), new Redis(redisUrl())];
    resources.later(() => Promise.all([redis.quit(), listener.quit()]));
    const runId = `key_${id}`;
    const messages: string[] = [];
    listener.on('message', (_channel: string, text: string) => messages.push(text));
    await listener.subscribe(`${prefix}run:${runId}`);

    const run = keyEchoSwitchyard(server.url).run(keyEchoWorkflow(), {}, { executor, runId, onError: 'continue' });
    const events: RunEvent[] = [];
    run.on('*', (event) => events.push(event));
    const result = await run.result;

    expect(server.keys.length).toBe(3);
    for (const node of NODES) expect(result.nodes[node].error?.requestId).toBe('[redacted]');
    expect(messages.length).toBeGreaterThan(0);
    expectNoKey('pub/sub messages', messages.join('\n'));
    expectNoKey('events', everything(events));
    expectNoKey('run.result', everything(result));
    const stored = await dumpKeys(redis, [`${prefix}*`, `bull:${queue}:*`]);
    expect(stored).toContain('[redacted]'); // the committed results are there, redacted
    expectNoKey('Redis', stored);
  }, 60_000);
});

describe('a server that streams the key in its reply', () => {
  test('the text is redacted even when the key arrives split across chunks; the stream still adds up', async () => {
    const server = await echoServer(true);
    const run = keyEchoSwitchyard(server.url).run(keyEchoWorkflow(), {}, { trace: traceFile() });
    const events: RunEvent[] = [];
    run.on('*', (event) => events.push(event));
    const result = await run.result;
    for (const id of NODES) {
      expect(result.outputs[id]).toBe('my key is [redacted] and again [redacted].');
      const streamed = events.filter((e): e is Extract<RunEvent, { type: 'text-delta' }> => e.type === 'text-delta' && e.nodeId === id);
      expect(streamed.map((e) => e.text).join('')).toBe(result.outputs[id]);
    }
    expectNoKey('events', everything(events));
  });
});

describe('SecretRedactor', () => {
  test('redacts every form, holds back only what could begin the key, and leaves short placeholders alone', () => {
    const redactor = new SecretRedactor([ECHOED_KEY, 'lm-studio'], MIN_CONTENT_SECRET_LENGTH);
    expect(redactor.text(`a ${ECHOED_KEY} b ${encodeURIComponent(ECHOED_KEY)} c ${Buffer.from(ECHOED_KEY).toString('base64')}`)).toBe(
      'a [redacted] b [redacted] c [redacted]',
    );
    expect(redactor.text('served by lm-studio')).toBe('served by lm-studio');
    const stream = redactor.textStream();
    const out = [stream.push('plain text, '), stream.push(`then ${ECHOED_KEY.slice(0, 9)}`), stream.push(`${ECHOED_KEY.slice(9)} end`), stream.flush()];
    expect(out[0]).toBe('plain text, ');
    expect(out.join('')).toBe('plain text, then [redacted] end');
    const unchanged = { a: ['x', { b: 1 }] };
    expect(redactor.value(unchanged)).toBe(unchanged);
    expect(redactor.value({ a: [`id-${ECHOED_KEY}`] })).toEqual({ a: ['id-[redacted]'] });
  });
});

/** Every value of every key matching the patterns, whatever its type. */
async function dumpKeys(redis: Redis, patterns: string[]): Promise<string> {
  const out: string[] = [];
  for (const pattern of patterns) {
    for (const key of await redis.keys(pattern)) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? await redis.hgetall(key)
        : type === 'list' ? await redis.lrange(key, 0, -1)
        : type === 'set' ? await redis.smembers(key)
        : type === 'zset' ? await redis.zrange(key, 0, -1)
        : type === 'stream' ? await redis.xrange(key, '-', '+')
        : type;
      out.push(`${key} ${JSON.stringify(value)}`);
    }
  }
  return out.join('\n');
}
