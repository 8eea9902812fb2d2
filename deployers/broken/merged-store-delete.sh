#!/usr/bin/env bash
# BROKEN: the merged store synced with `rsync --delete`: the store becomes a copy of the new
# build only, and every older build's chunks vanish from the CDN origin.
source "$(dirname "$0")/../lib.sh"
STATIC_STORE="${SKEW_DEPLOY_ROOT}/static-store"
mkdir -p "${STATIC_STORE}"
rsync -a --delete "${SKEW_BUILD_DIR}/.next/static/" "${STATIC_STORE}/"
install_release
switch_current
keep_releases 1
reload_app
purge_html
