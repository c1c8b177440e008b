package web

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

// clientDist is the built map client. Only dist/.gitkeep is in git, so that
// this compiles before `npm run build` has run; "all:" keeps that dot file.
//
//go:embed all:client/dist
var clientDist embed.FS

// ClientBuildCommand is the command that builds the map client into
// web/client/dist, from the repository root.
const ClientBuildCommand = "npm --prefix web/client ci && npm --prefix web/client run build"

// ClientFiles returns the built map client (index.html, app.js, app.css and
// their source maps) with index.html at its root, ready for
// http.FileServerFS. It returns an error naming the build command when the
// binary was compiled before the client was built.
func ClientFiles() (fs.FS, error) {
	dist, err := fs.Sub(clientDist, "client/dist")
	if err != nil {
		return nil, fmt.Errorf("web: map client: %w", err)
	}
	if _, err := fs.Stat(dist, "index.html"); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("web: map client is not built into this binary: run `%s` and rebuild the server", ClientBuildCommand)
		}
		return nil, fmt.Errorf("web: map client: %w", err)
	}
	return dist, nil
}
