#!/usr/bin/env bash
# BROKEN (single-origin and rolling worlds): own-routing's nginx map without its server. The replaced
# release's requests are routed to that release's server, and then the server is stopped right
# after the switch ("to free memory") with the map left as it was: an open tab's next click
# goes to a port nobody listens on (502 from the origin nginx).
source "$(dirname "$0")/../lib.sh"
[[ -n "${SKEW_PM_URL:-}" ]] || { echo "own-routing-stopped needs the single-origin or rolling world (no SKEW_PM_URL)" >&2; exit 1; }
keep_previous_server
deploy_release
if [[ -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "${TARGET_RELEASE}" ]]; then
  echo "stopping $(basename "${PREVIOUS_RELEASE}")'s server to free memory (its nginx route stays)"
  curl -sS --fail-with-body -X POST "${SKEW_PM_URL}/stop/$(basename "${PREVIOUS_RELEASE}")" >/dev/null
fi
