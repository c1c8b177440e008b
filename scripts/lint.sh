#!/usr/bin/env bash
# Checks that go.mod and go.sum are tidy and runs golangci-lint (see
# .golangci.yml) over every package. golangci-lint is installed into
# $(go env GOPATH)/bin at the pinned version when it is missing there or is
# another version. Run from anywhere; make lint and make test run it.
set -euo pipefail

version=v2.15.0

cd "$(dirname "$0")/.."
bin="$(go env GOPATH)/bin/golangci-lint"

if [ ! -x "$bin" ] || [ "v$("$bin" version --short 2>/dev/null)" != "$version" ]; then
  echo "lint: installing golangci-lint $version into $(dirname "$bin")" >&2
  go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
fi

if ! go mod tidy -diff; then
  echo "lint: go.mod or go.sum is not tidy; run: go mod tidy" >&2
  exit 1
fi
"$bin" run ./...
