/**
 * A long-document workflow: a generated 16-page contract (a real PDF) is split by a `.map` into four sections,
 * each summarized on gpt-5.4 with the whole document sent first — a prefix every section shares, so the provider's
 * prompt cache serves it after the first call — then one gpt-5.5 call reads the whole document and the section
 * summaries and writes the risk assessment. Prints the cost of each node and section, and what the cache saved.
 *
 *   npx tsx examples/long-document.ts
 *
 * Runs offline on the simulated provider, whose script plays the provider's prompt cache: a request whose
 * document (by its SHA-256, which scripts see — never the bytes) was sent to the same model before reads it from
 * the cache. Pass other providers to `main` to run it anywhere (its test also runs it through the openai SDK
 * against the mock server).
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { costOf, createSwitchyard, workflow, type ContentPart, type ModelInfo, type Provider, type RunEvent, type RunResult, type Usage } from '../src/index.js';
import { simulated, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';
import { makePdf } from './tiny-pdf.js';

const SECTIONS = ['Definitions', 'Payment', 'Liability', 'Termination'];
const PAGES_PER_SECTION = 4;
const SYSTEM = 'You are a contracts analyst. Answer from the document only; cite page numbers.';

/** The contract: four sections of four pages, each page a few clauses. */
export function contractPdf(): Uint8Array {
  const pages = SECTIONS.flatMap((section, s) =>
    Array.from({ length: PAGES_PER_SECTION }, (_, p) => {
      const page = s * PAGES_PER_SECTION + p + 1;
      return [`${section} (page ${page})`, ...Array.from({ length: 12 }, (_, c) => `${s + 1}.${p * 12 + c + 1} The parties agree to clause ${page}-${c + 1}.`)];
    }),
  );
  return makePdf(pages);
}

/** What a provider typically bills for one page of this contract (its text and page image): well under the bound. */
const TOKENS_PER_PAGE = 1_500;

/**
 * Replies as a provider with a prompt cache would: the request's document costs TOKENS_PER_PAGE a page (budgets
 * reserved the published maximum; settlement uses this reported figure), and counts as cached input when the same
 * model saw the same document (by its hash) before; the first request for each model writes it.
 */
export function cachingScript(): (info: ScriptRequestInfo) => ScriptedReply {
  const seen = new Set<string>();
  return (info) => {
    const doc = info.attachments.find((a) => a.mediaType === 'application/pdf');
    const docTokens = (doc?.pages ?? 0) * TOKENS_PER_PAGE;
    const key = `${info.model}:${doc?.sha256}`;
    const cachedInputTokens = doc !== undefined && seen.has(key) ? docTokens : 0;
    if (doc !== undefined) seen.add(key);
    const section = /Summarize the (\w+) section/.exec(info.text)?.[1];
    const text = section ? `${section}: obligations are mutual; see pages cited.` : 'Overall: moderate risk, concentrated in Liability (uncapped) and Termination (30-day notice).';
    return { text, usage: { inputTokens: docTokens + Math.ceil(info.text.length / 4), cachedInputTokens } };
  };
}

const document = (pdf: Uint8Array): ContentPart => ({ type: 'file', data: pdf, mediaType: 'application/pdf', filename: 'contract.pdf' });
const text = (t: string): ContentPart => ({ type: 'text', text: t });

export function longDocumentWorkflow() {
  const sections = z.array(z.object({ title: z.string(), from: z.number(), to: z.number() }));
  return workflow({ name: 'long-document', input: z.object({ pdf: z.instanceof(Uint8Array), sections }) })
    .map('sections', {
      over: ({ input }) => input.sections,
      concurrency: 1, // one at a time: the first section writes the cache, the others read it
      node: {
        model: 'gpt-5.4',
        system: SYSTEM,
        maxOutputTokens: 400,
        cache: { key: 'contract-v1' },
        messages: (section, { input }) => [
          { role: 'user', content: [document(input.pdf), text(`Summarize the ${section.title} section (pages ${section.from}-${section.to}) in three sentences.`)] },
        ],
      },
    })
    .llm('overall', {
      after: ['sections'],
      model: 'gpt-5.5',
      system: SYSTEM,
      maxOutputTokens: 800,
      cache: { key: 'contract-v1' },
      messages: ({ input, sections }) => [
        { role: 'user', content: [document(input.pdf), text(`Section summaries:\n${sections.join('\n')}\n\nWrite the overall risk assessment.`)] },
      ],
    });
}

/** What one settled attempt cost, and what its cached input saved against the uncached price. */
interface Spend {
  costUsd: number;
  savedUsd: number;
  cachedInputTokens: number;
  reservedUsd: number;
}

export interface LongDocumentResult {
  /** Typed by status: `outputs` are complete only when `status` is 'succeeded'. */
  result: RunResult<{ sections: string[]; overall: string }>;
  /** Per node, and per section (`sections[i]`). */
  spend: Record<string, Spend>;
  savedUsd: number;
  events: RunEvent[];
}

function saved(model: ModelInfo, usage: Usage): number {
  return costOf(model, { ...usage, cachedInputTokens: 0 }) - costOf(model, usage);
}

export async function main(log: (line: string) => void = console.log, providers?: Provider[]): Promise<LongDocumentResult> {
  const sy = createSwitchyard({ providers: providers ?? [simulated({ reply: cachingScript() })] });
  const pdf = contractPdf();
  const sections = SECTIONS.map((title, i) => ({ title, from: i * PAGES_PER_SECTION + 1, to: (i + 1) * PAGES_PER_SECTION }));
  const run = sy.run(longDocumentWorkflow(), { pdf, sections });
  const events: RunEvent[] = [];
  const spend: Record<string, Spend> = {};
  run.on('*', (e) => {
    events.push(e);
    if (e.type !== 'budget' || e.nodeId === undefined) return;
    const site = e.item === undefined ? e.nodeId : `${e.nodeId}[${e.item}]`;
    const entry = (spend[site] ??= { costUsd: 0, savedUsd: 0, cachedInputTokens: 0, reservedUsd: 0 });
    if (e.phase === 'reserve') entry.reservedUsd += e.amountUsd;
    else {
      entry.costUsd += e.amountUsd;
      entry.cachedInputTokens += e.usage?.cachedInputTokens ?? 0;
      entry.savedUsd += e.usage ? saved(sy.catalog.get(e.model!), e.usage) : 0;
    }
  });
  const result = await run.result;

  log(`contract.pdf: ${pdf.length.toLocaleString('en-US')} bytes, ${SECTIONS.length * PAGES_PER_SECTION} pages`);
  for (const [site, s] of Object.entries(spend)) {
    const cache = s.cachedInputTokens > 0 ? `, ${s.cachedInputTokens.toLocaleString('en-US')} input tokens from the cache saved $${s.savedUsd.toFixed(4)}` : '';
    log(`${site.padEnd(12)} $${s.costUsd.toFixed(4)} (reserved $${s.reservedUsd.toFixed(4)})${cache}`);
  }
  for (const id of ['sections', 'overall'] as const) log(`node ${id.padEnd(9)} ${result.nodes[id].model ?? ''} $${result.nodes[id].costUsd.toFixed(4)}`);
  // Outputs are all there only when the run succeeded (RunResult is typed by status).
  if (result.status === 'succeeded') log(result.outputs.overall);
  else log(`the run ${result.status}: ${result.errors.map((e) => `${e.nodeId}: ${e.error.message}`).join('; ')}`);
  const savedUsd = Object.values(spend).reduce((sum, s) => sum + s.savedUsd, 0);
  log(`total $${result.costUsd.toFixed(4)}; the prompt cache saved $${savedUsd.toFixed(4)}`);
  return { result, spend, savedUsd, events };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
