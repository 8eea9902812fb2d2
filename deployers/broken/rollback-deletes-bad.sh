#!/usr/bin/env bash
# BROKEN: rolls back correctly, then deletes the bad release at once ("it is broken anyway").
# Tabs still open on the bad build lose their chunks; the document says keep its static files.
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 3
reload_app
purge_html
if [[ "${SKEW_ACTION}" == rollback && -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "$(readlink -f "${CURRENT_LINK}")" ]]; then
  echo "removing the bad release ${PREVIOUS_RELEASE}"
  rm -rf "${PREVIOUS_RELEASE}"
fi
