#!/bin/sh
# Installs the pinned Lighthouse (package-lock.json) into bench/lighthouse/node_modules for the W1 case:
# project-local, never global. Run by bench/cases_portal.py on first use; safe to run again.
set -eu
cd "$(dirname "$0")"
if [ -x node_modules/.bin/lighthouse ]; then exit 0; fi
npm install --no-audit --no-fund --omit=dev --loglevel=error
