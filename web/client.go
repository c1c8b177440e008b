package web

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// client serves the map client's files; / is its index.html. It never
// lists directories, and every error is a JSON answer.
func (s *Server) client(w http.ResponseWriter, r *http.Request) error {
	if isAPIPath(r.URL.Path) {
		return errNotFound("no such resource %s; see the README for the API", r.URL.Path)
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	return s.serveClientFile(w, r, name)
}

// embed serves GET /embed: the map client's page for a frame in another
// site (see Config.FrameAncestors). The client reads its embed mode from
// the query string.
func (s *Server) embed(w http.ResponseWriter, r *http.Request) error {
	return s.serveClientFile(w, r, "index.html")
}

// clientMaxAge is how long browsers keep the client's scripts and styles;
// the page itself is revalidated, so that a new release shows at once.
const clientMaxAge = 5 * time.Minute

// serveClientFile sends one file of the built client.
func (s *Server) serveClientFile(w http.ResponseWriter, r *http.Request, name string) error {
	if s.cfg.Client == nil {
		return errUnavailable("the map client is not built: %v", s.cfg.ClientErr)
	}
	if !fs.ValidPath(name) {
		return errNotFound("no such file")
	}
	info, err := fs.Stat(s.cfg.Client, name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || err == nil && info.IsDir() {
		return errNotFound("no such file %s; see the README for the API", name)
	}
	if err != nil {
		return fmt.Errorf("client file %s: %w", name, err)
	}
	// The client's files are small and embedded: read whole, they need
	// no closing after the answer is written.
	b, err := fs.ReadFile(s.cfg.Client, name)
	if err != nil {
		return fmt.Errorf("client file %s: %w", name, err)
	}
	modTime := info.ModTime()
	if name == "index.html" {
		w.Header().Set("Cache-Control", "no-cache")
		if s.cfg.BasemapStyle != "" {
			if b, err = withBasemap(b, s.cfg.BasemapStyle); err != nil {
				return err
			}
			// The page now depends on the flag as well as the file.
			modTime = time.Time{}
		}
	} else {
		w.Header().Set("Cache-Control", "public, max-age="+formatSeconds(clientMaxAge))
	}
	http.ServeContent(w, r, name, modTime, bytes.NewReader(b))
	return nil
}

// basemapMeta is the element of the client's index.html that tells it the
// URL of the background map's style; empty draws none.
const basemapMeta = `<meta name="wijkkaart:basemap-style" content="" />`

// withBasemap writes the background map's style URL into the page.
func withBasemap(page []byte, styleURL string) ([]byte, error) {
	if !bytes.Contains(page, []byte(basemapMeta)) {
		return nil, errors.New("the map client's index.html has no basemap element; rebuild the client (make client)")
	}
	filled := strings.Replace(basemapMeta, `content=""`, `content="`+html.EscapeString(styleURL)+`"`, 1)
	return bytes.Replace(page, []byte(basemapMeta), []byte(filled), 1), nil
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
