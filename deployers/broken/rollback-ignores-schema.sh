#!/usr/bin/env bash
# BROKEN: the good deploy (migrations before the switch), but a rollback never looks at the
# database: it puts back code that reads a schema the bad deploy migrated away. The document:
# "Rolling back the Next.js asset would reintroduce the incompatible ORM queries."
source "$(dirname "$0")/../lib.sh"
deploy_release
