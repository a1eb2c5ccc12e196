#!/usr/bin/env bash
# The SQLite and PostgreSQL migration folders must hold the same file names:
# one change, one version, both dialects.
set -euo pipefail
cd "$(dirname "$0")/../crates/xuncha-db/migrations"
if ! diff <(ls sqlite) <(ls postgres); then
  echo "migration folders differ (left: sqlite, right: postgres)" >&2
  exit 1
fi
echo "migrations: $(ls sqlite | wc -l) in each dialect, names match"
