// Package styles turns published values into a choropleth: class breaks
// (classify.go), ColorBrewer palettes (palette.go), a legend (legend.go) and
// a MapLibre GL style, spec version 8 (style.go), that the server returns at
// GET /styles/{level}.json.
//
// Everything here works on store.Published values, so a suppressed
// value can influence neither breaks, nor counts, nor anything else in a
// style: suppressed areas are only counted, as suppressed.
//
// Values are classified as they are shown: rounded to the indicator's
// decimals. The style rounds the tile value the same way before it picks a
// class colour, so the map, the class labels and the class counts always
// agree, even for tile values published with more decimals.
package styles

import "errors"

// ErrInvalid is wrapped by every error that is caused by a bad request
// parameter (method, classes, palette, manual breaks): the HTTP handler
// answers those with 400. Other errors are the caller's bugs.
var ErrInvalid = errors.New("invalid style parameter")
