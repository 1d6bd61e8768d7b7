import type { ProviderFamily, Usage, WireApi } from '../../models/types.js';
import type { Script } from '../script.js';

/** One request the mock server received. Fields update as the response progresses. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. '/v1/chat/completions' (a `key` query parameter is redacted). */
  path: string;
  /** Request headers, without the API key headers (authorization, x-api-key, x-goog-api-key). */
  headers: Record<string, string>;
  /** Whether the request carried an API key (its value is never recorded). */
  apiKeyPresent: boolean;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  /** The wire format the path belongs to; undefined for unknown routes. */
  family?: ProviderFamily;
  /** The API of that family ('chat' or 'responses' for OpenAI). */
  api?: WireApi;
  /** The model the request named. */
  model?: string;
  /** The client closed the connection before the response finished (an abort reached the socket). */
  closedByClient: boolean;
  /** The response was sent in full. */
  completed: boolean;
  /** Text chunks (one token each) written to the response so far. */
  tokensSent: number;
  /**
   * What the server bills for this request, as a provider would: the reply's true usage once it is sent in full
   * (whatever a `bad-usage` fault reported instead), or its input and the tokens sent so far for a stream that
   * stopped early (cut, hung, endless, or closed by the client). Unset for an HTTP error or an empty stream.
   */
  billed?: Usage;
}

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /**
   * Port to listen on (always on 127.0.0.1).
   * @default 0 (any free port)
   */
  port?: number;
}

/** A running mock server. Point the official SDKs (or switchyard's providers) at its base URLs. */
export interface MockServer {
  /** e.g. 'http://127.0.0.1:53211' */
  url: string;
  /** `url + '/v1'`: the `baseURL` for the OpenAI SDK and `openai()`. */
  openaiBaseURL: string;
  /** `url`: the `baseURL` for the Anthropic SDK and `anthropic()`. */
  anthropicBaseURL: string;
  /** `url`: the `httpOptions.baseUrl` for @google/genai and `google()`. */
  googleBaseURL: string;
  /** Every request received, in order (live: entries update as responses finish or are closed). */
  requests: RecordedRequest[];
  /** Replaces the script; request numbering continues. */
  setScript(script: Script | undefined): void;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}
