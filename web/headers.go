package web

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// pageCSP is the Content-Security-Policy of the map client: everything
// from this origin, MapLibre's workers from blob: URLs, inline styles
// (MapLibre sets them on its controls) and data: images (the favicon). The
// connect-src and frame-ancestors directives are added per server and page.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; child-src 'self' blob:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'"

// connectSources is the CSP connect-src of the map client: its own origin;
// when the public URL is another origin (a proxy or CDN in front of the
// tiles), that one too, since TileJSON and styles link there; and the
// origin of the background map's style when there is one (see
// Config.BasemapStyle), since the page fetches it and its tiles, glyphs and
// sprites.
func connectSources(publicURL, basemapStyle string) string {
	src := "connect-src 'self'"
	for _, link := range []string{publicURL, basemapStyle} {
		if u, err := url.Parse(link); link != "" && err == nil && u.Host != "" {
			src += " " + u.Scheme + "://" + u.Host
		}
	}
	return src
}

// ParseBasemapStyle checks the URL of a background map's MapLibre style
// (see Config.BasemapStyle): an absolute http or https URL without
// credentials.
func ParseBasemapStyle(link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(link, " ;'\"<>") {
		return "", fmt.Errorf("basemap style: %q is not an http or https URL such as https://api.pdok.nl/…/style.json", link)
	}
	return u.String(), nil
}

// apiCSP is the Content-Security-Policy of every answer that is data, not
// a page: nothing may run in it and no page may frame it.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// DefaultFrameAncestors is who may frame the embed page (/embed) when
// Config.FrameAncestors is empty: any site, since embedding the map in a
// municipality's portal is what /embed is for.
const DefaultFrameAncestors = "*"

// ParseFrameAncestors checks a comma- or space-separated list of CSP
// frame-ancestors sources: *, 'self', 'none', or origins such as
// https://www.utrecht.nl or https://*.example.nl.
func ParseFrameAncestors(list string) ([]string, error) {
	var out []string
	for _, src := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if err := checkFrameSource(src); err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("frame ancestors: the list %q names no source", list)
	}
	return out, nil
}

func checkFrameSource(src string) error {
	switch src {
	case "*", "'self'", "'none'":
		return nil
	}
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsAny(src, ";'\"") {
		return fmt.Errorf("frame ancestors: %q is not *, 'self', 'none' or an origin such as https://www.example.nl", src)
	}
	return nil
}

// securityHeaders sets the headers every answer carries: no MIME sniffing,
// no full referrer to other sites, and a Content-Security-Policy that lets
// the map client run, lets only its own origin frame the full page, lets
// Config.FrameAncestors frame /embed, and lets nothing frame data.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	embedAncestors := DefaultFrameAncestors
	if len(s.cfg.FrameAncestors) > 0 {
		embedAncestors = strings.Join(s.cfg.FrameAncestors, " ")
	}
	page := pageCSP + "; " + connectSources(s.cfg.PublicURL, s.cfg.BasemapStyle)
	embedPolicy := sharedValue(page + "; frame-ancestors " + embedAncestors)
	pagePolicy := sharedValue(page + "; frame-ancestors 'self'")
	apiPolicy, nosniff, referrer, sameOrigin := sharedValue(apiCSP), sharedValue("nosniff"),
		sharedValue("strict-origin-when-cross-origin"), sharedValue("SAMEORIGIN")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrer
		switch {
		case r.URL.Path == "/embed" || r.URL.Path == "/embed/":
			h["Content-Security-Policy"] = embedPolicy
		case isAPIPath(r.URL.Path):
			h["Content-Security-Policy"] = apiPolicy
		default:
			h["Content-Security-Policy"] = pagePolicy
			h["X-Frame-Options"] = sameOrigin
		}
		next.ServeHTTP(w, r)
	})
}

// sharedValue returns a header value that every response sending it
// shares, assigned to the header map under its canonical key instead of
// set with Header.Set, which allocates it anew for each response: headers
// set on every request were a tenth of a cached tile's allocations. Its
// capacity is its length, so that an Add copies instead of writing into
// it; nothing may change its element.
func sharedValue(v string) []string { return []string{v} }

// isAPIPath reports whether a path is data (tiles, styles, API, health)
// rather than the map client.
func isAPIPath(path string) bool {
	for _, prefix := range []string{"/api/", "/tiles/", "/styles/", "/fonts/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return isProbePath(path)
}

// isProbePath reports whether a path is for orchestrators and monitoring
// (health checks, metrics), which address a replica by its own address.
func isProbePath(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// ParseAllowedHosts checks a comma-separated list of host names, each
// optionally with a port: kaart.example.nl, localhost:8080, [::1].
func ParseAllowedHosts(list string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(list, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		u, err := url.Parse("http://" + h)
		if err != nil || u.Host != h || u.Hostname() == "" {
			return nil, fmt.Errorf("allowed hosts: %q is not a host name with an optional port", h)
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("allowed hosts: the list %q names no host", list)
	}
	return out, nil
}

// LoopbackHosts returns the hosts to allow when a server is given neither
// a public URL nor allowed hosts: a developer's own machine, any port.
func LoopbackHosts() []string { return []string{"localhost", "127.0.0.1", "[::1]"} }

// hostAllowed reports whether host (a Host header) is in allowed. An entry
// without a port allows every port.
func hostAllowed(allowed []string, host string) bool {
	host = strings.ToLower(host)
	name, _, err := net.SplitHostPort(host)
	if err != nil {
		name = host
	}
	if strings.Contains(name, ":") {
		name = "[" + name + "]" // an IPv6 address, as the list writes it
	}
	for _, a := range allowed {
		if a == host || a == name {
			return true
		}
	}
	return false
}

// formatSeconds writes a duration as whole seconds.
func formatSeconds(d time.Duration) string {
	return strconv.FormatInt(int64(d/time.Second), 10)
}

// truncate shortens s to at most n bytes, so that an error message quoting
// a client's text stays short.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
