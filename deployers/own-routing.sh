#!/usr/bin/env bash
# GOOD reference for the single-origin and rolling worlds (docs/worlds.md): the rollback
# document's script (deploy_release in lib.sh) plus skew protection of its own, in its nginx.
# Before `current` moves, the release that was live keeps its server (rolling: its pods; pm2
# start through SKEW_PM_URL) and the team's nginx map sends every request carrying its
# deployment id to it, so an open tab keeps talking to the build it loaded: no hard reload, no
# lost page state. In the rolling world it also serves /_next/static from the release store
# (each pod has only its own build's files). The delayed cleanup stops a replaced release's
# server 15 minutes after it was replaced (the document's session window).
#   usage: own-routing.sh deploy|rollback|cleanup <version>   (everything else from the env)
on_cleanup() {
  stop_replaced_servers $((15 * 60))
  remove_retired $((15 * 60))
}
source "$(dirname "$0")/lib.sh"
[[ -n "${SKEW_PM_URL:-}" ]] || { echo "own-routing needs the single-origin or rolling world (no SKEW_PM_URL): run with --world single-origin or --world rolling" >&2; exit 1; }
refuse_unsafe_rollback
keep_previous_server
deploy_release
