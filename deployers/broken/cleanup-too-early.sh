#!/usr/bin/env bash
# BROKEN: the good rollback, but its cleanup removes the rolled-back release 5 minutes after the
# purge ("five to ten minutes covers the vast majority" of sessions, read as the deletion
# window). The FAQ says at least fifteen: a tab reloading from its cached bad HTML at minute 14
# finds nothing.
on_cleanup() { remove_retired $((5 * 60)); }
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 3
reload_app
purge_html
purge_changed_public
retire_previous
