import { describeValue } from '../data/bounded-json.js';
import { isToolParameters } from '../call/tool-parameters.js';
import type { AgentNodeDefinition, EnsembleNodeDefinition, VerifiedNodeFields } from './node-definition.js';

const isFn = (value: unknown) => typeof value === 'function';
const isPositiveInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 1;
const MERGES = new Set(['first', 'vote', 'concat', 'judge']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** `verify`, `maxRounds`, `acceptLast` and `cascade` of an `.llm` or `.agent` node. */
export function checkVerified(
  node: VerifiedNodeFields & { model?: unknown; task?: unknown; route?: unknown; output?: unknown },
  label: string,
  problems: string[],
): void {
  if (node.verify !== undefined && !isFn(node.verify)) {
    problems.push(
      `${label} has a \`verify\` that is not a function returning { ok } ` +
        '(use verifiers.schema or verifiers.runTests for the built-ins).',
    );
  }
  if (node.maxRounds !== undefined && !isPositiveInt(node.maxRounds)) {
    problems.push(`${label} has maxRounds ${String(node.maxRounds)}; use a whole number ≥ 1.`);
  }
  if (node.acceptLast !== undefined && typeof node.acceptLast !== 'boolean') {
    problems.push(`${label} has an \`acceptLast\` that is not a boolean.`);
  }
  if (node.cascade === undefined) return;
  const tiers: unknown = node.cascade;
  const tierOk = (t: unknown) => {
    if (typeof t === 'string') return t !== '';
    const tier = t as { model?: unknown; task?: unknown } | null;
    return typeof tier?.model === 'string' || typeof tier?.task === 'string';
  };
  if (!Array.isArray(tiers) || tiers.length === 0 || !tiers.every(tierOk)) {
    problems.push(
      `${label} has a \`cascade\` that is not a non-empty list of model ids, { model } or { task }, ` +
        "e.g. ['gpt-5.4', 'gpt-5.5'].",
    );
  }
  if (node.model !== undefined || node.task !== undefined || node.route !== undefined) {
    problems.push(
      `${label} has both \`cascade\` and \`model\`/\`task\`/\`route\`: the cascade's tiers choose the model; remove the others.`,
    );
  }
  if (node.verify === undefined && node.output === undefined && (node as { kind?: unknown }).kind !== 'agent') {
    problems.push(
      `${label} has a \`cascade\` but neither \`verify\` nor \`output\`: nothing could make it escalate. ` +
        'Add a verifier or an output schema.',
    );
  }
}

/** The tools and loop limits of an `.agent` node. */
export function checkAgent(node: AgentNodeDefinition, label: string, problems: string[]): void {
  const tools: unknown = node.tools;
  if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
    problems.push(`${label} needs \`tools\`: an object of { description, parameters: zod schema, execute } by name, or a tool set (mcpTools()).`);
  } else {
    for (const [name, tool] of Object.entries(tools as Record<string, unknown>)) {
      const t = tool as { parameters?: unknown; execute?: unknown } | null;
      if (!TOOL_NAME.test(name)) problems.push(`${label} has a tool named "${name}": use 1-64 letters, digits, '_' or '-'.`);
      if (!isToolParameters(t?.parameters)) {
        problems.push(`${label}'s tool '${name}' needs \`parameters\`: a zod schema, or jsonSchema({ type: 'object', ... }).`);
      }
      if (!isFn(t?.execute)) problems.push(`${label}'s tool '${name}' needs an \`execute\` function.`);
    }
  }
  if (node.maxSteps !== undefined && !isPositiveInt(node.maxSteps)) {
    problems.push(`${label} has maxSteps ${String(node.maxSteps)}; use a whole number ≥ 1.`);
  }
  if (node.maxToolResultChars !== undefined && !isPositiveInt(node.maxToolResultChars)) {
    problems.push(`${label} has maxToolResultChars ${String(node.maxToolResultChars)}; use a whole number ≥ 1.`);
  }
  checkVerified(node, label, problems);
}

/** The members and merge of an `.ensemble` node. */
export function checkEnsemble(node: EnsembleNodeDefinition, label: string, problems: string[]): void {
  const hasModels = node.models !== undefined;
  if (hasModels === (node.candidates !== undefined)) {
    problems.push(`${label} needs exactly one of \`models\` (a list of model ids or { model | task }) or \`candidates\` (a count).`);
  } else if (hasModels && (!Array.isArray(node.models) || node.models.length === 0)) {
    problems.push(`${label} has \`models\` that is not a non-empty list.`);
  } else if (!hasModels && !isPositiveInt(node.candidates)) {
    problems.push(`${label} has candidates ${String(node.candidates)}; use a whole number ≥ 1.`);
  }
  const merge: unknown = node.merge;
  const judge = typeof merge === 'object' && merge !== null && typeof (merge as { judge?: unknown }).judge === 'object';
  if (!(typeof merge === 'string' && MERGES.has(merge)) && !isFn(merge) && !judge) {
    problems.push(
      `${label} has merge ${describeValue(merge)}; ` +
        "use 'first', 'vote', 'judge', { judge: {...} }, 'concat' or a function.",
    );
  }
}
