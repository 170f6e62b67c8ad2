#!/usr/bin/env bash
# Browser end-to-end tests of the example pages (start page, quote collaboration, inbox, analytics,
# admin console).
#
# Needs: the built artifacts (mvn -q package -DskipTests: target/pdprime-realtime.war and
# target/server/), JDK 17, Node 20+, and Debian's chromium at /usr/bin/chromium
# (apt-get install -y chromium; CHROMIUM=/path overrides). No browser is downloaded: playwright-core
# drives the system chromium. The tests start and restart the server themselves on a free loopback
# port. Screenshots: target/e2e-screenshots/; server and browser logs: target/e2e-logs/.
# Exit code = test result.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
exec node --test --test-concurrency=1 tests/e2e.test.mjs
