#!/bin/sh
# Installs Lighthouse into bench/lighthouse/node_modules (project-local, never global) for the W1 case.
set -eu
cd "$(dirname "$0")"
if [ -x node_modules/.bin/lighthouse ]; then exit 0; fi
npm install --no-audit --no-fund --omit=dev --loglevel=error
