#!/usr/bin/env bash
# BROKEN (single-origin world): the document's script, but it runs `pm2 restart` where the
# document says `pm2 reload`: the old server stops before the new one listens, and every request
# in between gets a 502 from the origin nginx (`--load N` shows them: load-errors).
source "$(dirname "$0")/../lib.sh"
[[ "${SKEW_WORLD:-}" == single-origin ]] || { echo "restart-not-reload is the single-origin world's pm2 restart (SKEW_WORLD=${SKEW_WORLD:-})" >&2; exit 1; }
# `pm2 restart all`: stop, then start.
reload_app() {
  local out
  out=$(curl -sS --fail-with-body -X POST "${SKEW_RELOAD_URL}?mode=restart") || { local rc=$?; echo "restart failed: ${out}" >&2; return "${rc}"; }
}
refuse_unsafe_rollback
deploy_release
