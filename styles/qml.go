package styles

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// QML writes the fills of a QGIS style (TargetQGIS) as a QGIS layer style
// file (.qml) with a rule-based renderer, for a polygon layer whose fields
// are named fieldPrefix+"value", fieldPrefix+"status" and "gemeente_code",
// such as a download of one indicator and group ({indicator}_{group}_). The
// rules are the style's fill layers: the same classes, bounds and colours,
// labelled as the legend labels them.
func (s Style) QML(fieldPrefix string) ([]byte, error) {
	if s.Metadata.Query.Target != TargetQGIS {
		return nil, fmt.Errorf("styles: QML needs a style with target %s", TargetQGIS)
	}
	labels := s.qmlLabels()
	outline, err := qgisColor(ColorOutline, 1)
	if err != nil {
		return nil, fmt.Errorf("styles: %w", err)
	}
	var rules []qmlRule
	var symbols []qmlSymbol
	for _, l := range s.Layers {
		if l.Type != "fill" {
			continue
		}
		filter, err := qgisExpression(l.Filter, fieldPrefix)
		if err != nil {
			return nil, fmt.Errorf("styles: layer %s: %w", l.ID, err)
		}
		color, _ := l.Paint["fill-color"].(string)
		opacity, _ := l.Paint["fill-opacity"].(float64)
		rgba, err := qgisColor(color, opacity)
		if err != nil {
			return nil, fmt.Errorf("styles: layer %s: %w", l.ID, err)
		}
		n := strconv.Itoa(len(symbols))
		rules = append(rules, qmlRule{Key: l.ID, Symbol: n, Label: labels[l.ID], Filter: filter})
		symbols = append(symbols, newQMLSymbol(n, rgba, outline))
	}
	doc := qmlDoc{Version: "3.22.0", Categories: "Symbology", Renderer: qmlRenderer{
		Type: "RuleRenderer", Rules: qmlRules{Key: "root", Rules: rules}, Symbols: symbols,
	}}
	var buf bytes.Buffer
	buf.WriteString("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n")
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("styles: QML: %w", err)
	}
	return buf.Bytes(), nil
}

// qmlLabels returns the legend label of every fill layer of a QGIS style.
func (s Style) qmlLabels() map[string]string {
	lg := s.Metadata.Legend
	out := make(map[string]string)
	for i, c := range lg.Classes {
		out[fmt.Sprintf("%s%d", LayerClassPrefix, i+1)] = c.LabelNL
	}
	for _, sp := range lg.Specials {
		switch sp.Status {
		case SpecialSuppressed:
			out[LayerSuppressedFill] = sp.LabelNL
		case SpecialNoData:
			out[LayerNoDataFill] = sp.LabelNL
		case SpecialNoResidents:
			out[LayerNoResidentsFill] = sp.LabelNL
		case SpecialOutside:
			out[LayerOutsideFill] = sp.LabelNL
		}
	}
	return out
}

// qgisExpression writes a filter of a QGIS style as a QGIS expression over
// the fields of a download: value and status take the prefix.
func qgisExpression(f []any, prefix string) (string, error) {
	if len(f) == 0 {
		return "", fmt.Errorf("empty filter")
	}
	op, _ := f[0].(string)
	if op == "all" {
		parts := make([]string, 0, len(f)-1)
		for _, sub := range f[1:] {
			s, ok := sub.([]any)
			if !ok {
				return "", fmt.Errorf("all takes filters, got %v", sub)
			}
			e, err := qgisExpression(s, prefix)
			if err != nil {
				return "", err
			}
			parts = append(parts, "("+e+")")
		}
		return strings.Join(parts, " AND "), nil
	}
	get, ok := f[1].([]any)
	if len(f) != 3 || !ok || len(get) != 2 || get[0] != "get" {
		return "", fmt.Errorf("filter %v is not a comparison of a property with a literal", f)
	}
	field, _ := get[1].(string)
	if field == "value" || field == "status" {
		field = prefix + field
	}
	var literal string
	switch v := f[2].(type) {
	case string:
		literal = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case float64:
		literal = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return "", fmt.Errorf("filter %v compares with %T", f, f[2])
	}
	switch op {
	case "==", "!=", ">=", "<":
		if op == "==" {
			op = "="
		}
		return fmt.Sprintf("%q %s %s", field, op, literal), nil
	}
	return "", fmt.Errorf("operator %q is not one a QGIS style uses", op)
}

// qgisColor writes #rrggbb with an opacity as QGIS's "r,g,b,a".
func qgisColor(hex string, opacity float64) (string, error) {
	if len(hex) != 7 || hex[0] != '#' {
		return "", fmt.Errorf("colour %q is not #rrggbb", hex)
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return "", fmt.Errorf("colour %q: %w", hex, err)
	}
	return fmt.Sprintf("%d,%d,%d,%d", v>>16, v>>8&0xff, v&0xff, int(opacity*255+0.5)), nil
}

// The XML of a QML file with a rule-based renderer.
type (
	qmlDoc struct {
		XMLName    xml.Name    `xml:"qgis"`
		Version    string      `xml:"version,attr"`
		Categories string      `xml:"styleCategories,attr"`
		Renderer   qmlRenderer `xml:"renderer-v2"`
	}
	qmlRenderer struct {
		Type    string      `xml:"type,attr"`
		Rules   qmlRules    `xml:"rules"`
		Symbols []qmlSymbol `xml:"symbols>symbol"`
	}
	qmlRules struct {
		Key   string    `xml:"key,attr"`
		Rules []qmlRule `xml:"rule"`
	}
	qmlRule struct {
		Key    string `xml:"key,attr"`
		Symbol string `xml:"symbol,attr"`
		Label  string `xml:"label,attr"`
		Filter string `xml:"filter,attr"`
	}
	qmlSymbol struct {
		Type  string         `xml:"type,attr"`
		Name  string         `xml:"name,attr"`
		Alpha string         `xml:"alpha,attr"`
		Layer qmlSymbolLayer `xml:"layer"`
	}
	qmlSymbolLayer struct {
		Class   string       `xml:"class,attr"`
		Enabled string       `xml:"enabled,attr"`
		Options qmlOptionMap `xml:"Option"`
	}
	qmlOptionMap struct {
		Type    string      `xml:"type,attr"`
		Options []qmlOption `xml:"Option"`
	}
	qmlOption struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
		Type  string `xml:"type,attr"`
	}
)

// newQMLSymbol returns a simple fill of a colour with a thin outline.
func newQMLSymbol(name, rgba, outline string) qmlSymbol {
	opt := func(k, v string) qmlOption { return qmlOption{Name: k, Value: v, Type: "QString"} }
	return qmlSymbol{Type: "fill", Name: name, Alpha: "1", Layer: qmlSymbolLayer{
		Class: "SimpleFill", Enabled: "1",
		Options: qmlOptionMap{Type: "Map", Options: []qmlOption{
			opt("color", rgba), opt("style", "solid"),
			opt("outline_color", outline), opt("outline_style", "solid"),
			opt("outline_width", "0.26"), opt("outline_width_unit", "MM"),
		}},
	}}
}
