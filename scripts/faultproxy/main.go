// Command faultproxy puts a database fault between wijkkaart and
// PostgreSQL for the load suite (scripts/load.sh): it forwards TCP
// connections to PostgreSQL and, on request, stops the database (closes
// every connection, refuses new ones) or freezes it (passes nothing, as
// under kill -STOP), without touching the database server.
//
//	go run ./scripts/faultproxy -listen 127.0.0.1:15432 -backend 127.0.0.1:5432 -control 127.0.0.1:15433
//	curl -X PUT --data frozen http://127.0.0.1:15433/state   # or stopped, up
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "faultproxy:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:15432", "address PostgreSQL clients connect to")
	backend := flag.String("backend", "127.0.0.1:5432", "address of the PostgreSQL server")
	control := flag.String("control", "127.0.0.1:15433", "address of the control endpoint (PUT /state: up, stopped or frozen)")
	flag.Parse()
	proxy, err := pgtest.NewFaultProxy(*listen, *backend)
	if err != nil {
		return err
	}
	defer proxy.Close() //nolint:errcheck // exiting closes everything anyway
	srv := &http.Server{Addr: *control, Handler: stateHandler(proxy), ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			slog.Warn("control endpoint did not shut down cleanly", "err", err)
		}
	}()
	slog.Info("forwarding", "listen", proxy.Addr(), "backend", *backend, "control", *control)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stateHandler reads and sets the database's state at /state.
func stateHandler(proxy *pgtest.FaultProxy) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, _ *http.Request) {
		writeState(w, proxy.State())
	})
	mux.HandleFunc("PUT /state", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		state, err := pgtest.ParseDatabaseState(string(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		proxy.Set(state)
		slog.Info("database state", "state", state)
		writeState(w, state)
	})
	return mux
}

// writeState answers with the state; a client that left is only logged.
func writeState(w io.Writer, state pgtest.DatabaseState) {
	if _, err := fmt.Fprintln(w, state); err != nil {
		slog.Warn("control client left", "err", err)
	}
}
