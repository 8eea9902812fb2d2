#!/usr/bin/env bash
# GOOD reference: the rollback document's atomic deploy + rollback pattern. New release dir,
# flip `current`, keep the last 3 releases, reload the app, then purge the HTML entry points and
# exactly the public/ files that changed — never _next/static. A rollback retires the bad
# release; the delayed cleanup removes it 15 minutes after that purge, not before. Migrations
# run before the switch; a rollback the database has moved past is refused (forward-fix).
#   usage: releases-symlink.sh deploy|rollback|cleanup <version>   (everything else from the env)
on_cleanup() { remove_retired $((15 * 60)); }
source "$(dirname "$0")/lib.sh"
refuse_unsafe_rollback
install_release
migrate_database
switch_current
keep_releases 3
reload_app
purge_html
purge_changed_public
retire_previous
