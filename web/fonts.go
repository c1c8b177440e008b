package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/wijkkaart/wijkkaart/glyphs"
)

// GlyphsPath is the route of the glyph ranges the styles' labels are drawn
// with, as a MapLibre style's "glyphs" template.
const GlyphsPath = "/fonts/{fontstack}/{range}.pbf"

// fontMaxAge is how long browsers keep a glyph range: the fonts change
// only with the binary, and a range is revalidated by its ETag.
const fontMaxAge = 7 * 24 * time.Hour

// glyphRange serves GET /fonts/{fontstack}/{range}.pbf: the signed
// distance fields of 256 code points of a font the server carries (see
// package glyphs), so that labels need no font service elsewhere.
func (s *Server) glyphRange(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	v := mux.Vars(r)
	start, err := glyphs.ParseRange(v["range"])
	if err != nil {
		return errNotFound("range: %v", err)
	}
	pbf, err := s.glyphs.Range(v["fontstack"], start)
	switch {
	case errors.Is(err, glyphs.ErrUnknownFontstack):
		return errNotFound("fontstack: %v", err)
	case err != nil:
		return err
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Header().Set("Content-Length", strconv.Itoa(len(pbf)))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(pbf)
	return err
}
