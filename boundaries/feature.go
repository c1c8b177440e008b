package boundaries

import (
	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// Feature is one boundary as read from a source, in the source's coordinate
// reference system: nothing is projected or simplified yet.
type Feature struct {
	// Level is the level of the area: catalog.Gemeente, catalog.Wijk or
	// catalog.Buurt. Its code has been checked to be of this level.
	Level catalog.Level
	// Code is the CBS code, such as WK034401, and Name the area's name.
	Code, Name string
	// GemeenteCode is the gemeente the area lies in (the area itself for a
	// gemeente); GemeenteName its name, empty when the source has none.
	GemeenteCode, GemeenteName string
	// WijkCode and WijkName are the wijk a buurt lies in; empty for
	// gemeenten and wijken.
	WijkCode, WijkName string
	// Water is true for a water part: CBS publishes the water of an area
	// as a second feature with the same code. Readers skip water parts
	// unless asked for them.
	Water bool
	// Geometry is the area's outline. Polygon sources are wrapped in a
	// MultiPolygon of one.
	Geometry orb.MultiPolygon
}

// Source is what a boundary reader returns: the features of one level, with
// the EPSG code of their coordinates (28992, RD New, for the CBS Wijk- en
// buurtkaart).
type Source struct {
	// Level is the level of every feature.
	Level catalog.Level
	// SRID is the EPSG code of the features' coordinate reference system.
	SRID int
	// Features are sorted by code, a land part before the water part of the
	// same code.
	Features []Feature
}
