package web

import (
	"mime"
	"net/http"
	"strings"
)

// client serves the map client's files; / is its index.html.
func (s *Server) client(w http.ResponseWriter, r *http.Request) error {
	for _, api := range []string{"/api/", "/tiles/", "/styles/"} {
		if strings.HasPrefix(r.URL.Path, api) {
			return errNotFound("no such resource %s; see the README for the API", r.URL.Path)
		}
	}
	if s.cfg.Client == nil {
		return &apiError{status: http.StatusServiceUnavailable, msg: "the map client is not built: " + s.cfg.ClientErr.Error()}
	}
	http.FileServerFS(s.cfg.Client).ServeHTTP(w, r)
	return nil
}

// containsMediaType reports whether an Accept header lists the media type.
func containsMediaType(accept, want string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == want {
			return true
		}
	}
	return false
}
