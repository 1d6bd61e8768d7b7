import { boundedJson } from '../../data/bounded-json.js';

/** Colors for models, in order of first appearance (distinct on light backgrounds, and for most color blindness). */
export const PALETTE = ['#4269d0', '#efb118', '#3ca951', '#ff725c', '#a463f2', '#97bbf5', '#9c6b4e', '#ff8ab7', '#6cc5b0', '#9498a0'];

export const colorOf = (modelIndex: number): string => (modelIndex < 0 ? '#9498a0' : PALETTE[modelIndex % PALETTE.length]!);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML and SVG content and attributes. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** USD with enough digits for small model bills: $12.34, $0.0123, $0.000123. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 2 : abs >= 1 ? 3 : abs >= 0.01 ? 4 : 6;
  return `$${value.toFixed(digits)}`;
}

/** 1,234 · 12.3K · 4.56M */
export function tokens(value: number): string {
  if (value < 10_000) return value.toLocaleString('en-US');
  if (value < 1_000_000) return `${(value / 1000).toFixed(1)}K`;
  return `${(value / 1_000_000).toFixed(2)}M`;
}

/** 850 ms · 12.4 s · 3m 05s */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

/** JSON safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return boundedJson(value, { maxChars: Number.POSITIVE_INFINITY }).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
