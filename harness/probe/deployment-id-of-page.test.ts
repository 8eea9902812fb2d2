import { describe, expect, it } from 'vitest';
import { deploymentIdOfPage } from './probe-site.ts';

describe('the deployment a page came from, as a split probe reads it', () => {
  it("reads Next 16's data-dpl-id, else the ?dpl= of the page's assets (Next 14 and 15 write no attribute)", () => {
    expect(deploymentIdOfPage('<html data-dpl-id="b-2"><script src="/_next/static/chunks/x.js?dpl=a-1">')).toBe('b-2');
    expect(deploymentIdOfPage('<script src="/_next/static/chunks/x.js?dpl=c-bc59d14aec" defer="">')).toBe('c-bc59d14aec');
    expect(deploymentIdOfPage('<link href="/_next/static/css/a.css?v=1&amp;dpl=d-4" rel="stylesheet">')).toBe('d-4');
    expect(deploymentIdOfPage('<script src="/_next/static/chunks/x.js">')).toBeUndefined();
  });
});
