#!/usr/bin/env bash
# The device tool sends the working tree (tracked files plus untracked files git does not
# ignore) and the carried paths, 64 MiB at most; the tracked testdata is larger than that.
# "slim" removes testdata from the index only (the files stay on disk) and ignores it through
# .git/info/exclude, so it does not travel; "restore" puts the index and the exclude file back.
# Never commit between the two.
set -euo pipefail
cd "$(dirname "$0")/../.."
exclude=.git/info/exclude
paths=(testdata cli/src/main/resources/dev/jsam/cli/demo/sam_tiny.safetensors)
case "${1:-}" in
  slim)
    git rm -r -q --cached "${paths[@]}"
    for p in "${paths[@]}"; do
      grep -qx "/$p" "$exclude" || echo "/$p" >> "$exclude"
    done
    echo "tracked files that would travel: $(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1) bytes"
    ;;
  restore)
    git reset -q -- "${paths[@]}"
    for p in "${paths[@]}"; do
      sed -i "\\#^/$p\$#d" "$exclude"
    done
    git status --short | head
    ;;
  *)
    echo "usage: $0 slim|restore" >&2
    exit 2
    ;;
esac
