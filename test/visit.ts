/**
 * What a visitor gets for a page, for the stack's integration tests: its status (0 when the
 * connection failed), the deployment whose HTML it is (`<html data-dpl-id>`), and in the rolling
 * world the pod that served it (the ingress's X-Skew-Upstream).
 */
export async function visit(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; deployment: string | null; pod?: string }> {
  try {
    const r = await fetch(url, { redirect: 'manual', headers });
    const html = await r.text();
    const pod = r.headers.get('x-skew-upstream');
    return { status: r.status, deployment: /data-dpl-id="([^"]+)"/.exec(html)?.[1] ?? null, ...(pod ? { pod } : {}) };
  } catch {
    return { status: 0, deployment: null };
  }
}
