/**
 * Names the skew failures a browser reports, from the exact strings each bundler prints
 * (measured on Next 16). Pure: used by checks on recorded messages.
 */
export type Failure = 'chunk-load-error' | 'css-chunk-load-error' | 'server-action-mismatch' | 'hard-navigate-same-url';

export interface Classified {
  failure: Failure;
  /** The asset URL named in the message, when there is one. */
  url?: string;
}

const URL_IN_TEXT = /(https?:\/\/[^\s"')]+|\/_next\/static\/[^\s"')]+)/;

export function classifyError(message: string): Classified | undefined {
  // CSS first: webpack's CSS failure message also mentions "chunk".
  if (/Loading CSS chunk [^\s]+ failed|CSS_CHUNK_LOAD_FAILED/.test(message)) return withUrl('css-chunk-load-error', message);
  // Turbopack: "ChunkLoadError: Failed to load chunk <url> from module <n>";
  // webpack:   "ChunkLoadError: Loading chunk <id> failed.\n(error|timeout|missing: <url>)".
  if (/ChunkLoadError|Failed to load chunk |Loading chunk [^\s]+ failed/.test(message)) {
    // Turbopack reports a lazy CSS chunk with the same ChunkLoadError as JS: tell them apart by URL.
    const c = withUrl('chunk-load-error', message);
    return c.url && /\.css(\?|$)/.test(c.url) ? { ...c, failure: 'css-chunk-load-error' } : c;
  }
  // The server's log line, and what the client throws since Next 15 (UnrecognizedActionError).
  if (/Failed to find Server Action|Server Action "[^"]*" was not found on the server/.test(message))
    return { failure: 'server-action-mismatch' };
  // Next's recovery from a failed data or route fetch is a full load of the target; when that is
  // the page the tab is on, it throws instead (vercel/next.js #39730) and the click does nothing.
  if (/attempted to hard navigate to the same URL/.test(message)) return withUrl('hard-navigate-same-url', message);
  return undefined;
}

function withUrl(failure: Failure, message: string): Classified {
  const m = URL_IN_TEXT.exec(message);
  return m?.[1] ? { failure, url: m[1] } : { failure };
}

/** Text Next shows when a client-side error took the page down (App Router and Pages). */
export const ERROR_PAGE_TEXTS = [
  'This page couldn’t load',
  "This page couldn't load",
  'Application error: a client-side exception has occurred',
];
