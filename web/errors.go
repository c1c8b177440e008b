package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

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

// handle adapts a handler that returns an error, so that every error is
// answered the same way: JSON with the status it calls for.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		err := h(w, r)
		if err == nil {
			return
		}
		var ae *apiError
		switch {
		case errors.As(err, &ae):
		case errors.Is(err, context.Canceled):
			// The client went away; there is no one to answer.
			return
		case errors.Is(err, context.DeadlineExceeded):
			ae = &apiError{status: http.StatusServiceUnavailable, msg: "the request took too long; try again"}
		default:
			s.cfg.Logger.ErrorContext(r.Context(), "request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
			ae = &apiError{status: http.StatusInternalServerError, msg: "internal error"}
		}
		writeJSON(w, ae.status, map[string]any{"error": ae.msg, "status": ae.status})
	})
}

// writeJSON sends v as JSON. An encoding failure after the header is sent
// cannot be reported to the client; it can only cut the response short.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
