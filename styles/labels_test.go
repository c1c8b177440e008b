package styles

import (
	"encoding/json"
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
)

// TestLabelLayer checks the area names: on top, in the served font, from
// the zoom where names of the level fit; QGIS styles have none.
func TestLabelLayer(t *testing.T) {
	tests := []struct {
		name     string
		level    catalog.Level
		target   Target
		glyphs   string
		min, max float64
		text     string // the text-field, as JSON
		filter   string // the filter, as JSON; "" for none
	}{
		{name: "gemeente", level: catalog.Gemeente, glyphs: "/fonts/{fontstack}/{range}.pbf", min: 7, max: 11, text: `["get","name"]`},
		{name: "wijk", level: catalog.Wijk, glyphs: "/fonts/{fontstack}/{range}.pbf", min: 11, text: `["get","name"]`},
		{name: "buurt", level: catalog.Buurt, glyphs: "/fonts/{fontstack}/{range}.pbf", min: 13, text: `["get","name"]`},
		{name: "auto names buurten from buurt zooms", level: catalog.Auto, glyphs: "/fonts/{fontstack}/{range}.pbf", min: 11, text: `["get","name"]`,
			filter: `["any",["!=",["get","level"],"buurt"],["\u003e=",["zoom"],13]]`},
		{name: "qgis: no labels (QGIS has its own fonts)", level: catalog.Auto, target: TargetQGIS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := goldenParams()["evaluative"]
			p.Level, p.Target, p.Values = tt.level, tt.target, nil
			p.GlyphsURL, p.LabelsURL = "/fonts/{fontstack}/{range}.pbf", "/api/labels?level="+string(tt.level)
			p.Nederland.Level = catalog.Nederland
			s, err := Build(p)
			if err != nil {
				t.Fatal(err)
			}
			if s.Glyphs != tt.glyphs {
				t.Errorf("glyphs %q, want %q", s.Glyphs, tt.glyphs)
			}
			top := s.Layers[len(s.Layers)-1]
			if tt.glyphs == "" {
				if top.ID == LayerLabel || s.Sources.Labels != nil {
					t.Error("a QGIS style with labels")
				}
				return
			}
			if top.ID != LayerLabel || top.Type != "symbol" || top.Source != LabelSourceID || s.Sources.Labels == nil || s.Sources.Labels.Data != p.LabelsURL {
				t.Fatalf("top layer %s (%s, %s), want %s (symbol, %s of %s)", top.ID, top.Type, top.Source, LayerLabel, LabelSourceID, p.LabelsURL)
			}
			if top.MinZoom != tt.min || top.MaxZoom != tt.max {
				t.Errorf("zooms %v–%v, want %v–%v", top.MinZoom, top.MaxZoom, tt.min, tt.max)
			}
			if text := marshalJSON(t, top.Layout["text-field"]); text != tt.text {
				t.Errorf("text-field %s, want %s", text, tt.text)
			}
			filter := ""
			if top.Filter != nil {
				filter = marshalJSON(t, top.Filter)
			}
			if filter != tt.filter {
				t.Errorf("filter %s, want %s", filter, tt.filter)
			}
			if font := marshalJSON(t, top.Layout["text-font"]); font != `["Go Regular"]` {
				t.Errorf("text-font %s", font)
			}
			if top.Paint["text-halo-color"] == nil || top.Layout["text-allow-overlap"] != false {
				t.Errorf("want a halo and collision detection: %v %v", top.Paint, top.Layout)
			}
		})
	}
}

func marshalJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
