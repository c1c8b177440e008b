package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// retryAfterSeconds is what a 503 asks clients to wait before they retry.
const retryAfterSeconds = 5

// apiError is an error a client caused or should be told about. Its
// message is sent to the client; any other error is logged and answered
// with a generic 500.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errBadRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func errNotFound(format string, args ...any) error {
	return &apiError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

func errUnavailable(format string, args ...any) error {
	return &apiError{status: http.StatusServiceUnavailable, msg: fmt.Sprintf(format, args...)}
}

// errorKind is how a handler's error is answered.
type errorKind int

const (
	// internalError is a bug or an unexpected failure: 500, logged.
	internalError errorKind = iota
	// clientGone means the client disconnected: nothing to answer.
	clientGone
	// storeUnavailable means the database is down, unreachable, frozen
	// or overloaded: 503 with Retry-After, for a client to try again.
	storeUnavailable
)

// classify tells how to answer err, an error that is not an *apiError.
// ctx is the request's context: a cancelled request means the client
// went away, whatever error the cancellation surfaced as. writeFailed says
// writing the answer failed: the client's connection broke. (A broken pipe
// or reset connection to the database is not the client leaving.)
func classify(ctx context.Context, err error, writeFailed bool) errorKind {
	switch {
	case writeFailed || isClientGone(ctx, err):
		return clientGone
	case isUnavailable(err), errors.Is(ctx.Err(), context.DeadlineExceeded):
		// The request's budget is spent, however the store reported it.
		return storeUnavailable
	default:
		return internalError
	}
}

// isClientGone reports whether err comes from a client that disconnected:
// its request was cancelled.
func isClientGone(ctx context.Context, err error) bool {
	return errors.Is(context.Cause(ctx), context.Canceled) || errors.Is(err, context.Canceled) ||
		errors.Is(err, http.ErrAbortHandler)
}

// isUnavailable reports whether err means the store cannot answer now but
// may soon: the database refuses connections, is shutting down, the pool
// is closed, a connection broke (any network error, a reset or broken
// pipe included), or a deadline (of the request or of one query) passed.
func isUnavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, puddle.ErrClosedPool) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) {
		return true
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableSQLState(pgErr.Code)
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// unavailableSQLState reports whether a PostgreSQL error code means the
// server cannot serve now: connection exceptions (class 08), too many
// connections, a cancelled statement (statement_timeout) and the
// shutdown and start-up states.
func unavailableSQLState(code string) bool {
	if strings.HasPrefix(code, "08") {
		return true
	}
	switch code {
	case "53300", // too_many_connections
		"57014", // query_canceled
		"57P01", // admin_shutdown
		"57P02", // crash_shutdown
		"57P03": // cannot_connect_now
		return true
	}
	return false
}

// handle adapts a handler that returns an error, so that every error is
// answered the same way: JSON with the status it calls for. An error after
// the answer has begun cannot be sent any more; it is only logged.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		tw := &startTracker{ResponseWriter: w}
		err := h(tw, r)
		if err == nil {
			return
		}
		s.answerError(tw, r, err)
	})
}

// answerError logs err as its kind calls for and, unless the answer has
// begun or the client is gone, sends it as JSON.
func (s *Server) answerError(w *startTracker, r *http.Request, err error) {
	ctx := r.Context()
	var ae *apiError
	if !errors.As(err, &ae) {
		switch classify(ctx, err, w.writeErr != nil) {
		case clientGone:
			s.cfg.Logger.DebugContext(ctx, "client disconnected", slog.String("path", r.URL.Path), slog.Any("error", err))
			return
		case storeUnavailable:
			s.cfg.Logger.WarnContext(ctx, "store unavailable", slog.String("path", r.URL.Path), slog.Any("error", err))
			ae = &apiError{status: http.StatusServiceUnavailable, msg: "the data store does not answer in time; try again shortly"}
		default:
			s.cfg.Logger.ErrorContext(ctx, "request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
			ae = &apiError{status: http.StatusInternalServerError, msg: "internal error"}
		}
	}
	if w.started {
		s.cfg.Logger.InfoContext(ctx, "error after the answer began; it is cut short",
			slog.String("path", r.URL.Path), slog.Any("error", err))
		return
	}
	if err := writeError(w, ae.status, ae.msg); err != nil {
		s.cfg.Logger.DebugContext(ctx, "client disconnected", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
}

// writeError sends an error answer: JSON {"error": msg, "status": status},
// never cached, with Retry-After on a 503. It returns what writing failed
// with, which can only be logged.
func writeError(w http.ResponseWriter, status int, msg string) error {
	h := w.Header()
	for _, name := range []string{"Content-Length", "Content-Disposition", "Content-Encoding", "ETag", "Last-Modified"} {
		h.Del(name)
	}
	h.Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	return writeJSON(w, status, map[string]any{"error": msg, "status": status})
}

// writeJSON sends v as JSON (net/http drops the body of a HEAD answer).
// An encoding failure after the header is sent cannot be reported to the
// client; it can only cut the answer short, and is returned for the log.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON answer: %w", err)
	}
	return nil
}

// startTracker remembers whether an answer has begun, after which an error
// can no longer be sent as one, and whether writing it failed, which means
// the client has gone.
type startTracker struct {
	http.ResponseWriter
	started  bool
	writeErr error
}

// WriteHeader implements http.ResponseWriter.
func (w *startTracker) WriteHeader(status int) {
	if status >= 200 {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *startTracker) Write(b []byte) (int, error) {
	w.started = true
	n, err := w.ResponseWriter.Write(b)
	if err != nil && w.writeErr == nil {
		w.writeErr = err
	}
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *startTracker) Unwrap() http.ResponseWriter { return w.ResponseWriter }
