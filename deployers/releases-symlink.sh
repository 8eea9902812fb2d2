#!/usr/bin/env bash
# GOOD reference: the rollback document's atomic deploy + rollback pattern (deploy_release in
# lib.sh, step by step): new release dir, migrations, flip `current`, keep the last 3 releases,
# reload the app, wait until the new release answers through the edge (switch back and refuse
# when it never does), then purge the HTML entry points and exactly the public/ files that
# changed — never _next/static — retrying a refused or unanswered purge and verifying it
# landed. A rollback the database has moved past is refused (forward-fix); a
# rollback retires the bad release, and the delayed cleanup removes it 15 minutes after that
# purge, not before.
#   usage: releases-symlink.sh deploy|rollback|cleanup <version>   (everything else from the env)
on_cleanup() { remove_retired $((15 * 60)); }
source "$(dirname "$0")/lib.sh"
refuse_unsafe_rollback
deploy_release
