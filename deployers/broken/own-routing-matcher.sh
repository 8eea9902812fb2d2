#!/usr/bin/env bash
# BROKEN (single-origin, rolling): own-routing whose routing by deployment id covers only the
# paths of the matcher Next's docs give middleware, '/((?!api|_next/static|_next/image|favicon.ico).*)':
# an old tab's pages, RSC and Server Actions reach its build, but its fetches to route handlers
# and API routes, and its images, reach the new one, whatever deployment id they carry.
export OWN_ROUTING_SKIP='^/(api|_next/static|_next/image|favicon\.ico)'
exec "$(dirname "$0")/../own-routing.sh" "$@"
