package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// allowCrossOrigin lets maps on other origins (a municipality's portal,
// QGIS's web views) use the tiles, TileJSON, styles and API.
func allowCrossOrigin(next http.Handler) http.Handler {
	anyOrigin := sharedValue("*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = anyOrigin
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "*")
			h.Set("Access-Control-Max-Age", "86400")
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader implements http.ResponseWriter.
func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 && status >= 200 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusClientClosed is logged for a request the client abandoned before
// it was answered (nginx's 499); it is never sent.
const statusClientClosed = 499

// logRequests logs one line per request. The query string is logged: it
// holds only selections (indicator, group, year, area), never values. A
// request whose client went away before the answer is logged as such
// (status 499), not as a server error.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		msg, status := "request", rec.status
		if status == 0 && r.Context().Err() != nil {
			msg, status = "request abandoned by the client", statusClientClosed
		}
		s.cfg.AccessLog.LogAttrs(r.Context(), slog.LevelInfo, msg,
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery),
			slog.Int("status", status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// recoverPanics turns a panic in a handler into a logged 500, so that one
// bad request cannot take the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &startTracker{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.cfg.Logger.ErrorContext(r.Context(), "panic serving request", slog.String("path", r.URL.Path), slog.Any("panic", p))
			if tw.started {
				// Half an answer must not look whole: abort the connection.
				panic(http.ErrAbortHandler)
			}
			if err := writeError(tw, http.StatusInternalServerError, "internal error"); err != nil {
				s.cfg.Logger.DebugContext(r.Context(), "client disconnected", slog.Any("error", err))
			}
		}()
		next.ServeHTTP(tw, r)
	})
}

// limitRequestTime gives every request a budget: when it is spent, the
// request's context ends, store calls return, and the client gets a 503
// instead of waiting for a frozen database.
func (s *Server) limitRequestTime(next http.Handler) http.Handler {
	if s.cfg.RequestTimeout <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// rejectMalformed answers a request whose path or query string is
// malformed with a 400 naming the problem, before any handler sees it:
// invalid UTF-8, control characters, overlong or repeated parameters.
func (s *Server) rejectMalformed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := validatePath(r.URL.Path)
		if err == nil {
			_, err = validateQuery(r.URL.RawQuery)
		}
		if err != nil {
			s.answerError(&startTracker{ResponseWriter: w}, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkHost refuses a Host header that is not one of Config.AllowedHosts,
// so that links in TileJSON and styles never point at a host a client
// made up. Health checks and metrics are exempt: orchestrators and
// Prometheus send the pod's address.
func (s *Server) checkHost(next http.Handler) http.Handler {
	if s.cfg.PublicURL != "" || len(s.cfg.AllowedHosts) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isProbePath(r.URL.Path) || hostAllowed(s.cfg.AllowedHosts, r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		s.answerError(&startTracker{ResponseWriter: w}, r, errBadRequest(
			"the Host header %q is not one this server answers to (see --allowed-hosts)", truncate(r.Host, 100)))
	})
}

// jsonErrors turns an error answer that is not JSON — from http.FileServer
// or anything else outside handle — into the JSON every error answer is.
func jsonErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&jsonErrorWriter{ResponseWriter: w}, r)
	})
}

// jsonErrorWriter replaces a non-JSON error answer with a JSON one.
type jsonErrorWriter struct {
	http.ResponseWriter
	replaced bool
	// err is what writing the JSON answer failed with, returned to the
	// handler's next write.
	err error
}

// WriteHeader implements http.ResponseWriter.
func (w *jsonErrorWriter) WriteHeader(status int) {
	if w.replaced {
		return // the JSON answer is sent; a second header would be superfluous
	}
	ct := w.Header().Get("Content-Type")
	if status < 400 || strings.HasPrefix(ct, "application/json") {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.replaced = true
	msg := strings.ToLower(http.StatusText(status))
	if status == http.StatusNotFound {
		msg = "no such resource; see the README for the API"
	}
	w.err = writeError(w.ResponseWriter, status, msg)
}

// Write implements http.ResponseWriter; the body of a replaced answer is
// dropped.
func (w *jsonErrorWriter) Write(b []byte) (int, error) {
	if w.replaced {
		if w.err != nil {
			return 0, w.err
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *jsonErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// cacheFor marks a handler's successful answers as cacheable by browsers
// and proxies for maxAge; error answers override it with no-store.
func cacheFor(maxAge time.Duration, next http.Handler) http.Handler {
	value := sharedValue("public, max-age=" + formatSeconds(maxAge))
	if maxAge <= 0 {
		value = sharedValue("no-store")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Cache-Control"] = value
		next.ServeHTTP(w, r)
	})
}
