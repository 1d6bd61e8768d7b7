import { exceedsDepth, MAX_JSON_DEPTH } from '../data/json-depth.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ToolCall } from '../models/types.js';

/**
 * The error for a tool call whose arguments nest deeper than `MAX_JSON_DEPTH` (128) levels — or circle back on
 * themselves — undefined when they fit. Such arguments never reach an event, a tool, a trace or a job: the attempt
 * fails with kind 'invalid_output', as it does for arguments that are not JSON at all.
 */
export function tooDeepToolCall(call: ToolCall, where: { provider: string; model: string }): SwitchyardError | undefined {
  if (!exceedsDepth(call.args, MAX_JSON_DEPTH)) return undefined;
  return new SwitchyardError({
    kind: 'invalid_output',
    ...where,
    message: `${where.model} on '${where.provider}' called tool '${call.name}' with arguments nested deeper than ${MAX_JSON_DEPTH} levels; they were refused.`,
  });
}
