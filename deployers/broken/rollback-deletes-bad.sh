#!/usr/bin/env bash
# BROKEN: rolls back correctly, then deletes the bad release at once ("it is broken anyway").
# Tabs still open on the bad build lose their chunks; the document says keep its static files.
source "$(dirname "$0")/../lib.sh"
PREVIOUS="$(readlink -f "${CURRENT_LINK}" 2>/dev/null || true)"
install_release
switch_current
keep_releases 3
reload_app
purge_html
if [[ "${SKEW_ACTION}" == rollback && -n "${PREVIOUS}" && "${PREVIOUS}" != "$(readlink -f "${CURRENT_LINK}")" ]]; then
  echo "removing the bad release ${PREVIOUS}"
  rm -rf "${PREVIOUS}"
fi
