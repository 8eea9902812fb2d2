#!/usr/bin/env bash
# BROKEN: the good deploy and rollback, but its cleanup removes the rolled-back release 5 minutes
# after the purge ("five to ten minutes covers the vast majority" of sessions, read as the
# deletion window). The FAQ says at least fifteen: a visitor still served the bad HTML at
# minute 14 finds nothing.
on_cleanup() { remove_retired $((5 * 60)); }
source "$(dirname "$0")/../lib.sh"
refuse_unsafe_rollback
deploy_release
