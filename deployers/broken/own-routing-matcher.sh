#!/usr/bin/env bash
# BROKEN (single-origin, rolling): own-routing whose routing by x-deployment-id covers only the
# paths of the matcher Next's docs give middleware, '/((?!api|_next/static|_next/image|favicon.ico).*)':
# an old tab's pages, RSC and Server Actions reach its build, but its fetches to route handlers
# and API routes (and its images) reach the new one, whatever deployment id they carry.
OWN_ROUTING_SKIP='^/(api|_next/static|_next/image|favicon\.ico)'
on_cleanup() {
  stop_replaced_servers $((15 * 60))
  remove_retired $((15 * 60))
}
source "$(dirname "$0")/../lib.sh"
[[ -n "${SKEW_PM_URL:-}" ]] || { echo "own-routing-matcher needs the single-origin or rolling world (no SKEW_PM_URL)" >&2; exit 1; }
refuse_unsafe_rollback
keep_previous_server
deploy_release
