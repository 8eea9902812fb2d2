#!/usr/bin/env bash
# BROKEN: the one app directory is replaced wholesale by the new build (rsync --delete style), so
# the previous build's _next/static files are gone the moment the new one is live, and the whole
# CDN is purged, hashed assets included — the two mistakes the rollback document warns about.
source "$(dirname "$0")/../lib.sh"
rm -rf "${RELEASES_DIR:?}"
install_release
switch_current
reload_app
purge '{"purge_everything": true}'
