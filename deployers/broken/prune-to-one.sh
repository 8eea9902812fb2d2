#!/usr/bin/env bash
# BROKEN: like releases-symlink, but keeps only the new release ("clean up old releases"): every
# tab still open on an older build loses its chunks the moment the deploy finishes.
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 1
reload_app
purge_html
