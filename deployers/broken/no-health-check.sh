#!/usr/bin/env bash
# BROKEN: the document's deploy, but it purges as soon as the process manager's reload returns,
# without checking that the new release answers through the edge. When the new origin is slow
# to listen, refuses connections or crashes, every visitor the purge sends to it gets a 502.
source "$(dirname "$0")/../lib.sh"
wait_serving() { :; }
refuse_unsafe_rollback
deploy_release
