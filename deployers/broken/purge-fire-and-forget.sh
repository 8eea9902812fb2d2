#!/usr/bin/env bash
# BROKEN: the document's deploy, but its HTML purge is fire-and-forget: one request per 100
# paths (the per-request limit), whatever the answer (429, a 5xx page, no answer, a 200 that
# lands late), and no verification. When the purge API misbehaves, the deploy "succeeds" and
# the edge keeps serving the old HTML.
source "$(dirname "$0")/../lib.sh"
purge_html() {
  local batch
  while read -r batch; do
    curl -sS -o /dev/null -X POST "${CF_API_BASE}/zones/${CF_ZONE_ID}/purge_cache" \
      -H "Authorization: Bearer ${CF_API_TOKEN}" -H "Content-Type: application/json" \
      -d "{\"files\": ${batch}}" || true
  done < <(printf '%s\n' ${SKEW_HTML_PATHS} | sed "s|^|${SITE_URL}|" | batches)
}
refuse_unsafe_rollback
deploy_release
