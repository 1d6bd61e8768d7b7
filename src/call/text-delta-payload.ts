/**
 * The payload of one streamed text delta, as the call runner builds it. A class rather than a literal so the
 * event hub can recognise a payload with exactly these fields (no tags spread in) and build its event in one
 * literal — the hot path of every stream. Its own fields, in order, are those of the literal it replaces.
 */
export class TextDeltaPayload {
  readonly type: 'text-delta';
  readonly text: string;
  readonly attempt: number;
  readonly model: string;
  readonly provider: string;

  constructor(text: string, attempt: number, model: string, provider: string) {
    this.type = 'text-delta';
    this.text = text;
    this.attempt = attempt;
    this.model = model;
    this.provider = provider;
  }
}
