package web

import (
	"mime"
	"net/http"
	"strings"
)

// embedPath is the map page for portals: the same index.html as /, which
// reads the path and shows the map with minimal chrome.
const embedPath = "/embed"

// client serves the map client's files; / and /embed are its index.html.
func (s *Server) client(w http.ResponseWriter, r *http.Request) error {
	for _, api := range []string{"/api/", "/tiles/", "/styles/"} {
		if strings.HasPrefix(r.URL.Path, api) {
			return errNotFound("no such resource %s; see the README for the API", r.URL.Path)
		}
	}
	if s.cfg.Client == nil {
		return &apiError{status: http.StatusServiceUnavailable, msg: "the map client is not built: " + s.cfg.ClientErr.Error()}
	}
	if r.URL.Path == embedPath {
		http.ServeFileFS(w, r, s.cfg.Client, "index.html")
		return nil
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
