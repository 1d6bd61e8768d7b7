/**
 * Text cut to at most about `max` characters, keeping its head and its tail (where test failures and stack
 * traces usually end) with a marker saying how much was left out.
 */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 60);
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n…[${omitted} characters omitted]…\n${tail > 0 ? text.slice(-tail) : ''}`;
}
