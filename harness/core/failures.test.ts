import { describe, expect, it } from 'vitest';
import { classifyError } from './failures.ts';

describe('classifyError', () => {
  it('names a Turbopack ChunkLoadError and its URL', () => {
    const c = classifyError('ChunkLoadError: Failed to load chunk /_next/static/chunks/0abc.js?dpl=a-1 from module 123');
    expect(c).toEqual({ failure: 'chunk-load-error', url: '/_next/static/chunks/0abc.js?dpl=a-1' });
  });

  it('names the runtime-dependency form Turbopack also prints', () => {
    expect(classifyError('Failed to load chunk /_next/static/chunks/x.js as a runtime dependency of chunk y')?.failure).toBe(
      'chunk-load-error',
    );
  });

  it('names a webpack ChunkLoadError with an absolute URL', () => {
    const c = classifyError(
      'ChunkLoadError: Loading chunk 47 failed.\n(missing: http://127.0.0.1:4000/_next/static/chunks/47.abc.js?dpl=b)',
    );
    expect(c).toEqual({ failure: 'chunk-load-error', url: 'http://127.0.0.1:4000/_next/static/chunks/47.abc.js?dpl=b' });
  });

  it('names CSS chunk failures before generic chunk failures', () => {
    expect(classifyError('Error: Loading CSS chunk 12 failed.\n(/_next/static/css/a.css)')?.failure).toBe('css-chunk-load-error');
    expect(classifyError('CSS_CHUNK_LOAD_FAILED')?.failure).toBe('css-chunk-load-error');
  });

  it('names a Turbopack CSS chunk failure by its URL', () => {
    expect(classifyError('ChunkLoadError: Failed to load chunk /_next/static/chunks/1l70.css?dpl=a-1 from module 66739')).toEqual({
      failure: 'css-chunk-load-error',
      url: '/_next/static/chunks/1l70.css?dpl=a-1',
    });
  });

  it('names a Server Action mismatch', () => {
    expect(classifyError('Error: Failed to find Server Action "00ab". This request might be from an older or newer deployment.')).toEqual({
      failure: 'server-action-mismatch',
    });
  });

  it("names the client's UnrecognizedActionError as a Server Action mismatch (Next 16)", () => {
    expect(
      classifyError(
        'UnrecognizedActionError: Server Action "608a" was not found on the server. \nRead more: https://nextjs.org/docs/messages/failed-to-find-server-action',
      ),
    ).toEqual({
      failure: 'server-action-mismatch',
    });
  });

  it('names the invariant Next throws instead of reloading the page the tab is on (#39730), with its URL', () => {
    expect(
      classifyError('Error: Invariant: attempted to hard navigate to the same URL /legacy/ssg/one http://127.0.0.1:38263/legacy/ssg/one'),
    ).toEqual({ failure: 'hard-navigate-same-url', url: 'http://127.0.0.1:38263/legacy/ssg/one' });
  });

  it('leaves unrelated errors alone (negative control)', () => {
    expect(classifyError('TypeError: Cannot read properties of undefined')).toBeUndefined();
    expect(classifyError('net::ERR_ABORTED')).toBeUndefined();
  });
});
