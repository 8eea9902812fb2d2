#!/usr/bin/env bash
# GOOD reference, the document's CDN-origin alternative: rsync each build's .next/static into one
# merged store the edge serves ("files from build A and build B coexist without collision").
# Only the live release keeps a directory (its Node process); old builds' static files live on
# in the store. Static first, then the switch, the reload and the HTML purge.
source "$(dirname "$0")/lib.sh"
STATIC_STORE="${SKEW_DEPLOY_ROOT}/static-store"
mkdir -p "${STATIC_STORE}"
rsync -a "${SKEW_BUILD_DIR}/.next/static/" "${STATIC_STORE}/"
install_release
switch_current
keep_releases 1
reload_app
purge_html
