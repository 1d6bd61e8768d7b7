import { z } from 'zod';
import { toolApprovalAnswer } from '../agents/tool-approval.js';

let toolSchema: unknown;

/** The JSON Schema of an answer (for a UI that asks the person), or undefined when zod cannot express it. */
export function jsonSchemaOf(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    return undefined;
  }
}

/** The JSON Schema of a decision on tool calls (made once). */
export function toolApprovalSchema(): unknown {
  return (toolSchema ??= jsonSchemaOf(toolApprovalAnswer));
}
