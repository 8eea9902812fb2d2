#!/usr/bin/env bash
# BROKEN: the document's deploy with a health check that takes the first good answer as proof.
# A new release that resets a share of its connections answers well now and then, goes live,
# and the purge sends every visitor to it: a share of their requests get 502s.
source "$(dirname "$0")/../lib.sh"
HEALTH_SOAK=0
refuse_unsafe_rollback
deploy_release
