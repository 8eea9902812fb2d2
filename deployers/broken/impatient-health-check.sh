#!/usr/bin/env bash
# BROKEN: the document's deploy with a health check that allows 1 s per answer and 3 tries.
# A new release that is slow, not dead (a cold cache, a slow dependency), is called unhealthy
# and refused: the deploy never lands, whatever the retries of the pipeline around it.
source "$(dirname "$0")/../lib.sh"
HEALTH_MAX_TIME=1
HEALTH_TRIES=3
refuse_unsafe_rollback
deploy_release
