// Package glyphs makes the glyph ranges MapLibre GL draws labels with:
// signed distance fields of the Go fonts (golang.org/x/image/font/gofont,
// BSD licence, compiled into the binary), encoded as the Mapbox glyph
// protocol buffers (glyphs.proto) that a style's "glyphs" URL serves.
//
// The server makes a range the first time it is asked for and keeps it:
// a range takes milliseconds to render, so nothing is generated at build
// time and no font or glyph file is committed or fetched from elsewhere.
package glyphs
