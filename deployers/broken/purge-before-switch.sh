#!/usr/bin/env bash
# BROKEN: purges the HTML first, then switches and reloads, as a pipeline whose "invalidate CDN"
# job runs before "release". A visitor in between is served the old build's HTML again, the
# edge caches it, and it stays there for new visitors long after the switch.
source "$(dirname "$0")/../lib.sh"
install_release
migrate_database
purge_html
purge_changed_public
switch_current
keep_releases 3
reload_app
wait_serving
