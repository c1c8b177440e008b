# wijkkaart — the README's two commands are `make serve` and `make test`.

CLIENT := web/client
ADDR ?= :8080
# The binary the browser tests start: built once, so that every test server
# reads the demo data this binary published (see `wijkkaart demo publish`).
TEST_BIN := $(CURDIR)/.build/wijkkaart
# A role that may create databases and roles; every PostGIS test makes its own database.
export WIJKKAART_TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable

.PHONY: serve test lint client deps go-test client-test client-test-postgis bench

## serve: build the map client and serve the embedded demo data on $(ADDR)
serve: client
	go run ./cmd/wijkkaart serve --addr $(ADDR)

## test: install and start test dependencies (Chromium, PostGIS), lint, then run every Go and browser test
test: deps lint client go-test client-test client-test-postgis

## lint: check that go.mod is tidy and run golangci-lint (installed at the version scripts/lint.sh pins)
lint:
	scripts/lint.sh

deps:
	scripts/install-deps.sh

## client: install the client's npm packages and build it into web/client/dist
client: $(CLIENT)/node_modules/.package-lock.json
	npm --prefix $(CLIENT) run build

$(CLIENT)/node_modules/.package-lock.json: $(CLIENT)/package-lock.json
	npm --prefix $(CLIENT) ci --no-audit --no-fund

go-test:
	go vet ./...
	go test -count=1 -timeout 30m ./...

client-test:
	go build -o $(TEST_BIN) ./cmd/wijkkaart
	$(TEST_BIN) demo publish
	WIJKKAART_BIN=$(TEST_BIN) npm --prefix $(CLIENT) test

## client-test-postgis: the stories and labels browser tests against a server reading PostGIS
## (database wk_e2e, remade with the demo data of a few gemeenten by scripts/e2e-postgis.sh)
client-test-postgis:
	go build -o $(TEST_BIN) ./cmd/wijkkaart
	url=$$(scripts/e2e-postgis.sh $(TEST_BIN) '$(WIJKKAART_TEST_DATABASE_URL)' wk_e2e) && \
	WIJKKAART_E2E_DATABASE_URL=$$url WIJKKAART_BIN=$(TEST_BIN) npm --prefix $(CLIENT) run test:postgis

## bench: the tile benchmarks quoted in the README
bench:
	go test -run '^$$' -bench . -benchmem ./web/ ./tiles/
