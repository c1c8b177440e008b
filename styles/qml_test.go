package styles

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestQGISExpression(t *testing.T) {
	tests := []struct {
		filter []any
		want   string
	}{
		{[]any{"==", []any{"get", "status"}, "ok"}, `"p_status" = 'ok'`},
		{[]any{"!=", []any{"get", "gemeente_code"}, "GM0344"}, `"gemeente_code" != 'GM0344'`},
		{[]any{"all", []any{">=", []any{"get", "value"}, 7.15}, []any{"<", []any{"get", "value"}, 9.05}},
			`("p_value" >= 7.15) AND ("p_value" < 9.05)`},
		{[]any{"==", []any{"get", "name"}, "'s-Hertogenbosch"}, `"name" = '''s-Hertogenbosch'`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := qgisExpression(tt.filter, "p_")
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	for _, bad := range [][]any{{}, {"step", []any{"get", "value"}, 1.0}, {"==", "value", 1.0}, {"==", []any{"get", "value"}, true}} {
		if _, err := qgisExpression(bad, "p_"); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestQMLRules checks that the QML has a rule per fill layer of the QGIS
// style, with its colour and the legend's label.
func TestQMLRules(t *testing.T) {
	p := goldenParams()["neutral"]
	p.Target = TargetQGIS
	s, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	body, err := s.QML("x_")
	if err != nil {
		t.Fatal(err)
	}
	var doc qmlDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	fills := 0
	for _, l := range s.Layers {
		if l.Type == "fill" {
			fills++
		}
	}
	rules := doc.Renderer.Rules.Rules
	if doc.Renderer.Type != "RuleRenderer" || len(rules) != fills || len(doc.Renderer.Symbols) != fills {
		t.Fatalf("renderer %s with %d rules and %d symbols, want %d", doc.Renderer.Type, len(rules), len(doc.Renderer.Symbols), fills)
	}
	first := s.Metadata.Legend.Classes[0]
	if rules[0].Label != first.LabelNL || !strings.Contains(rules[0].Filter, `"x_value" <`) {
		t.Errorf("first rule %+v, want label %q and a bound on x_value", rules[0], first.LabelNL)
	}
	if c := doc.Renderer.Symbols[0].Layer.Options.Options[0]; c.Name != "color" || c.Value != "255,255,204,255" {
		t.Errorf("first symbol colour %+v, want %s as 255,255,204,255", c, first.Color)
	}
	if _, err := (Style{}).QML("x_"); err == nil {
		t.Error("QML of a MapLibre style: no error")
	}
}
