#!/usr/bin/env bash
# BROKEN: purges the HTML but not the public/ files that changed. Their URLs carry no hash, so an
# edge that caches them keeps serving the other version's copies after a deploy or rollback.
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 3
reload_app
purge_html
