#!/usr/bin/env bash
# Refresh the English catalogues after adding or changing interface strings (then fill the new msgstr
# and run `manage.py compilemessages --ignore=.venv`).
# An app with a locale/ folder of its own (wenming/<app>/locale/) keeps its strings there; the root
# catalogue (locale/en/) holds every other app's. Django loads both (LOCALE_PATHS first, then each app's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
IGNORE=(--ignore=.venv --ignore=bench)
for dir in wenming/*/locale; do
  app=$(dirname "$dir")
  IGNORE+=(--ignore="$app/*")
  (cd "$app" && DJANGO_SETTINGS_MODULE=config.settings.messages "$PY" "$ROOT/manage.py" makemessages -l en -v0)
done
"$PY" manage.py makemessages -l en -v0 "${IGNORE[@]}"
