package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/gpkg"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/styles"
)

// licence is the licence of the data wijkkaart publishes.
const licence = "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/deed.nl"

// metadata returns what a download says about itself, as ordered key–value
// pairs: attribution, licence, sources, the disclosure rules, and per
// series the indicator's definition and polarity and the Nederland value.
func (d downloadData) metadata() [][2]string {
	scope := "Nederland"
	if d.req.gemeente != nil {
		scope = "gemeente " + d.req.gemeente.Name + " (" + d.req.gemeente.Code + ")"
	}
	rows := [][2]string{
		{"title", fmt.Sprintf("wijkkaart: %s %d, %s", d.req.level, d.req.year, scope)},
		{"attribution", styles.Attribution},
		{"licence", licence},
		{"source_geometry", "CBS / Kadaster, Wijk- en buurtkaart"},
		{"source_values", "CBS; provenance per value: cbs = real CBS figure, demo = generated demo figure, not real CBS data"},
		{"suppression_rule_nl", fmt.Sprintf("Waarden op minder dan %d waarnemingen zijn geheim (status suppressed), net als waarden waaruit een geheime waarde zou kunnen worden teruggerekend (aanvullende geheimhouding); van geheime waarden worden waarde, teller en noemer niet gepubliceerd. no_residents: geen inwoners in deze groep; no_data: geen gegevens. Aantallen zijn afgerond op veelvouden van 5; waarden zijn berekend uit de exacte aantallen en afgerond op de decimalen van de indicator.", d.minObservations)},
		{"suppression_rule_en", fmt.Sprintf("Values based on fewer than %d observations are suppressed (status suppressed), as are values from which a suppressed value could be recomputed (complementary suppression); a suppressed value's value, numerator and denominator are not published. no_residents: no residents in this group; no_data: no data. Counts are rounded to multiples of 5; values are computed from the exact counts and rounded to the indicator's decimals.", d.minObservations)},
		{"level", string(d.req.level)},
		{"year", strconv.Itoa(d.req.year)},
		{"boundary_year", d.boundaryYear()},
		{"scope", scope},
		{"columns", "One row per area. Per indicator and group: {indicator}_{group}_value, _numerator, _denominator, _status, _provenance."},
	}
	if d.hasDemo() {
		rows = append(rows, [2]string{"demo_note", "Let op: dit bestand bevat demonstratiecijfers (provenance demo), geen echte cijfers van het CBS. Note: this file holds demo figures (provenance demo), not real CBS data."})
	}
	for _, ser := range d.series {
		rows = append(rows, ser.metadata()...)
	}
	return rows
}

// boundaryYear is the year of the boundaries the download's figures are
// on, per level where they differ: "2024", or "wijk 2024, buurt 2019".
func (d downloadData) boundaryYear() string {
	years := d.req.data.shownBoundaryYears(d.req.level, d.req.year)
	if len(years) == 1 {
		for _, y := range years {
			return strconv.Itoa(y)
		}
	}
	return boundaryText(years)
}

// metadata describes one series.
func (ser downloadSeries) metadata() [][2]string {
	ind, g := ser.sel.indicator, ser.sel.group
	p := ind.ID + "_" + g.ID + "."
	v, num, den, _ := record{value: ser.nederland}.numbers()
	nl := string(ser.nederland.Status)
	if v != nil {
		nl = formatValue(*v)
	}
	return [][2]string{
		{p + "indicator", ind.ID},
		{p + "name_nl", ind.NameNL},
		{p + "name_en", ind.NameEN},
		{p + "definition_nl", ind.ExplanationNL},
		{p + "definition_en", ind.ExplanationEN},
		{p + "unit", string(ind.Unit)},
		{p + "decimals", strconv.Itoa(ind.Decimals)},
		{p + "numerator", ind.NumeratorNL},
		{p + "denominator", ind.DenominatorNL},
		{p + "polarity", string(ind.Polarity)},
		{p + "polarity_nl", ind.PolarityNL},
		{p + "polarity_en", ind.PolarityEN},
		{p + "group", g.ID},
		{p + "group_nl", g.NameNL},
		{p + "group_en", g.NameEN},
		{p + "nederland_value", nl},
		{p + "nederland_numerator", formatNumber(num)},
		{p + "nederland_denominator", formatNumber(den)},
	}
}

// hasDemo reports whether any published number is a demo figure.
func (d downloadData) hasDemo() bool {
	for _, ser := range d.series {
		if ser.nederland.Provenance == store.Demo {
			return true
		}
		for _, rec := range ser.byCode {
			if rec.value.Provenance == store.Demo {
				return true
			}
		}
	}
	return false
}

// writeDownloadCSV writes the download as UTF-8 CSV with a byte order
// mark, so that Excel reads the accents: a header, a row per area, a
// Nederland row, an empty line and the metadata as key, value rows. CSV
// carries no geometry: polygons exceed a spreadsheet cell.
func writeDownloadCSV(w http.ResponseWriter, d downloadData) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.fileName()+`.csv"`)
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cols := d.columns()
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	nl := store.Area{Level: catalog.Nederland, Code: catalog.NederlandCode, Name: "Nederland"}
	for _, a := range append(slices.Clip(d.areas), nl) {
		for i, c := range cols {
			row[i] = formatValue(c.value(a))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	if err := cw.Write(nil); err != nil {
		return err
	}
	for _, kv := range d.metadata() {
		if err := cw.Write(kv[:]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeDownloadGeoJSON streams the download as an RFC 7946 FeatureCollection
// in WGS84, with the metadata as a foreign member "metadata" after the
// features: readers such as GDAL recognise GeoJSON by a "type" member near
// the start.
func writeDownloadGeoJSON(w http.ResponseWriter, d downloadData) error {
	meta := make(map[string]string)
	for _, kv := range d.metadata() {
		meta[kv[0]] = kv[1]
	}
	tail, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.fileName()+`.geojson"`)
	if _, err := fmt.Fprintf(w, "{\"type\":\"FeatureCollection\",\"name\":%q,\"features\":[\n", d.fileName()); err != nil {
		return err
	}
	cols := d.columns()
	for i, a := range d.areas {
		f := geojson.NewFeature(d.lonLat[a.Code])
		f.ID = a.ID
		for _, c := range cols {
			f.Properties[c.name] = c.value(a)
		}
		b, err := f.MarshalJSON()
		if err != nil {
			return fmt.Errorf("download: feature %s: %w", a.Code, err)
		}
		sep := ",\n"
		if i == len(d.areas)-1 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "%s%s", b, sep); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(w, "],\"metadata\":%s}\n", tail)
	return err
}

// writeDownloadGPKG writes the download as a GeoPackage in a temporary
// directory and sends it.
func writeDownloadGPKG(w http.ResponseWriter, r *http.Request, d downloadData) error {
	body, err := gpkgBytes(r, d)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	w.Header().Set("Content-Type", "application/geopackage+sqlite3")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.fileName()+`.gpkg"`)
	_, err = w.Write(body)
	return err
}

// gpkgBytes writes the download as a GeoPackage in a temporary directory,
// which it removes, and returns the file.
func gpkgBytes(r *http.Request, d downloadData) ([]byte, error) {
	dir, err := os.MkdirTemp("", "wijkkaart-download-")
	if err != nil {
		return nil, err
	}
	cols := d.columns()
	layer := gpkg.Layer{
		Name:        string(d.req.level),
		Title:       d.fileName(),
		Description: "wijkkaart download. " + styles.Attribution + ". " + licence,
		Columns:     make([]gpkg.Column, len(cols)),
		Features:    make([]gpkg.Feature, len(d.areas)),
	}
	for i, c := range cols {
		layer.Columns[i] = gpkg.Column{Name: c.name, Type: c.typ, Description: c.desc}
	}
	for i, a := range d.areas {
		values := make([]any, len(cols))
		for j, c := range cols {
			values[j] = c.value(a)
		}
		layer.Features[i] = gpkg.Feature{ID: int64(a.ID), Geometry: d.lonLat[a.Code], Values: values}
	}
	meta := gpkg.Metadata{Name: "wijkkaart_metadata", Title: "wijkkaart metadata", Description: "Attribution, licence, definitions and the disclosure rules of " + d.fileName(), Rows: d.metadata()}
	path := filepath.Join(dir, d.fileName()+".gpkg")
	var body []byte
	if err = gpkg.Write(r.Context(), path, layer, meta); err == nil {
		body, err = os.ReadFile(path)
	}
	return body, errors.Join(err, os.RemoveAll(dir))
}
