import type { WhenMatch } from '../workflow/node-spec.js';

/**
 * Checks a node's `when` given as paths (`{ route: 'bug' }`) against its context: undefined when every listed
 * dependency's output is one of its paths, else the skip reason.
 */
export function matchWhen(when: WhenMatch, ctx: Record<string, unknown>): string | undefined {
  for (const [dep, paths] of Object.entries(when)) {
    const allowed: readonly string[] = typeof paths === 'string' ? [paths] : paths;
    const value = ctx[dep];
    if (typeof value === 'string' && allowed.includes(value)) continue;
    const wanted = allowed.map((p) => `'${p}'`).join(' or ');
    const got = value === undefined ? 'was skipped' : typeof value === 'string' ? `chose '${value}'` : 'did not output a path';
    return `'${dep}' ${got}; this node runs on ${wanted}`;
  }
  return undefined;
}
