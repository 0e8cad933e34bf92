#!/usr/bin/env bash
# Reproducible builds: two clean builds of this checkout must give byte-identical artifacts (jars,
# sources and javadoc jars, the shaded command-line jar). Prints the artifacts that differ and
# fails, or prints how many matched. Needs what ./mvnw needs; takes about two plain builds.
set -euo pipefail
cd "$(dirname "$0")/.."
build() {
  ./mvnw -q clean package -DskipTests >&2
  find . -path ./examples -prune -o -path '*/target/*.jar' -print | grep -v '/original-' | sort | xargs sha256sum
}
first=$(mktemp)
second=$(mktemp)
trap 'rm -f "$first" "$second"' EXIT
build > "$first"
build > "$second"
if ! diff "$first" "$second" >&2; then
  echo "reproducible-check: the artifacts above differ between two clean builds" >&2
  exit 1
fi
echo "reproducible-check: $(wc -l < "$first") artifacts byte-identical across two clean builds"
