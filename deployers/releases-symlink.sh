#!/usr/bin/env bash
# GOOD reference: the rollback document's atomic deploy + rollback pattern. New release dir,
# flip `current`, keep the last 3 releases, reload the app, then purge the HTML entry points and
# exactly the public/ files that changed — never _next/static.
#   usage: releases-symlink.sh deploy|rollback <version>   (everything else comes from the env)
source "$(dirname "$0")/lib.sh"
install_release
switch_current
keep_releases 3
reload_app
purge_html
purge_changed_public
