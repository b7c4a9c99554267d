#!/bin/sh
# Vendor ECharts and the Liaoning city-level map from the npm registry (no CDN at run time).
# ECharts 5 ships no maps any more; the Liaoning GeoJSON (14 prefecture cities, feature ids = GB/T 2260
# codes 210100 … 211400) is the one ECharts 4.9.0 shipped in map/json/province/liaoning.json (Apache-2.0).
# Internal use only: the big screen is staff-only; public pages never show a map (no 审图号).
set -eu
ECHARTS=5.6.0
ECHARTS_MAP=4.9.0
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "echarts@$ECHARTS" "echarts@$ECHARTS_MAP" >/dev/null
mkdir new old
tar xzf "echarts-$ECHARTS.tgz" -C new package/dist/echarts.min.js package/LICENSE
tar xzf "echarts-$ECHARTS_MAP.tgz" -C old package/map/json/province/liaoning.json package/LICENSE
mkdir -p "$root/static/vendor/echarts" "$root/static/vendor/geo"
cp new/package/dist/echarts.min.js new/package/LICENSE "$root/static/vendor/echarts/"
cp old/package/map/json/province/liaoning.json "$root/static/vendor/geo/liaoning.json"
cp old/package/LICENSE "$root/static/vendor/geo/LICENSE"
cd "$root/static/vendor"
sha256sum echarts/echarts.min.js geo/liaoning.json
