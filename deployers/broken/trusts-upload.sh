#!/usr/bin/env bash
# BROKEN: the document's deploy, but it switches as soon as its copy command returns, without
# checking that the store shows every file of the upload. On a store that shows objects late,
# or applies an upload with the static files last, the new HTML goes live before its chunks:
# visitors get 404s for them (and an edge that caches 404s keeps serving those).
source "$(dirname "$0")/../lib.sh"
wait_uploaded() { :; }
refuse_unsafe_rollback
deploy_release
