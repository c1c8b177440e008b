package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
)

// hardCases are indicators and groups of the demo data with many
// suppressed values.
var hardCases = []string{
	"indicator=pct_bijstand&group=eritrea",
	"indicator=cito_score&group=somalie",
	"indicator=aantal_herkomst&group=syrie",
	"indicator=pct_herkomst&group=bulgarije",
}

// published is what the values API says of one area.
type published struct {
	status string
	count  *float64 // the numerator, the count a differencing attack works on
	wijk   string   // the wijk a buurt lies in
}

// publishedAt returns the published numerators of every area of a level
// for one query, from the JSON API, checking on the way that suppressed
// rows carry no numbers in JSON and CSV.
func publishedAt(t *testing.T, level, query string) map[string]published {
	t.Helper()
	doc := getValues(t, "level="+level+"&"+query)
	out := map[string]published{catalog.NederlandCode: {status: doc.Nederland.Status, count: doc.Nederland.Numerator}}
	for _, v := range doc.Values {
		if v.Status != "ok" && (v.Value != nil || v.Numerator != nil || v.Denominator != nil) {
			t.Errorf("JSON %s %s: %s carries numbers", query, v.Code, v.Status)
		}
		out[v.Code] = published{status: v.Status, count: v.Numerator, wijk: v.WijkCode}
	}
	_, body := get(t, "/api/values?format=csv&level="+level+"&"+query)
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		if row[11] != "ok" && row[8]+row[9]+row[10] != "" {
			t.Errorf("CSV %s %s: %s carries numbers", query, row[2], row[11])
		}
	}
	return out
}

// TestNoDifferencingAttack acts as an attacker on the published values:
// for every gemeente and every herkomstgroep, if the gemeente's count and
// all but one of its wijken are published, the last one can be computed;
// likewise totaal minus the groups of a split. No such case may exist
// where the last one is suppressed.
func TestNoDifferencingAttack(t *testing.T) {
	// Buurten have values of 2022 only: the attack on them runs in 2022.
	for _, q := range []string{"indicator=pct_bijstand&year=2022", "indicator=cito_score&year=2022"} {
		byGroup := make(map[string]map[string]published)
		for _, g := range demoServer.cfg.Catalog.Groups {
			query := q + "&group=" + g.ID
			byGroup[g.ID] = publishedAt(t, "buurt", query)
			for _, level := range []string{"wijk", "gemeente"} {
				for code, p := range publishedAt(t, level, query) {
					byGroup[g.ID][code] = p
				}
			}
		}
		t.Run(q+"/areas", func(t *testing.T) { checkAreaDifferences(t, byGroup) })
		t.Run(q+"/groups", func(t *testing.T) { checkGroupDifferences(t, byGroup) })
	}
}

// checkAreaDifferences: wijk minus its buurten, gemeente minus its
// wijken, Nederland minus the gemeenten.
func checkAreaDifferences(t *testing.T, byGroup map[string]map[string]published) {
	for group, areas := range byGroup {
		members := make(map[string][]string)
		for code := range areas {
			switch {
			case strings.HasPrefix(code, "BU"):
				w := areas[code].wijk
				members[w] = append(members[w], code)
			case strings.HasPrefix(code, "WK"):
				gm, err := catalog.GemeenteOf(code)
				if err != nil {
					t.Fatal(err)
				}
				members[gm] = append(members[gm], code)
			case strings.HasPrefix(code, "GM"):
				members[catalog.NederlandCode] = append(members[catalog.NederlandCode], code)
			}
		}
		for total, parts := range members {
			if lone := onlyHidden(areas, total, parts); lone != "" {
				t.Errorf("group %s: %s is suppressed but %s and all its other parts are published", group, lone, total)
			}
		}
	}
}

// checkGroupDifferences: totaal minus the groups of each split, per area.
func checkGroupDifferences(t *testing.T, byGroup map[string]map[string]published) {
	for code := range byGroup[catalog.TotaalGroup] {
		for _, split := range []string{catalog.SplitHerkomst5, catalog.SplitHerkomst20} {
			cells := map[string]published{catalog.TotaalGroup: byGroup[catalog.TotaalGroup][code]}
			var parts []string
			for _, g := range demoServer.cfg.Catalog.Groups {
				if g.InSplit(split) {
					cells[g.ID] = byGroup[g.ID][code]
					parts = append(parts, g.ID)
				}
			}
			if lone := onlyHidden(cells, catalog.TotaalGroup, parts); lone != "" {
				t.Errorf("%s, split %s: group %s is suppressed but totaal and all other groups are published", code, split, lone)
			}
		}
	}
}

// onlyHidden returns the one suppressed member of total = sum(parts) when
// every other member is published with a count, and "" otherwise.
func onlyHidden(cells map[string]published, total string, parts []string) string {
	hidden := ""
	for _, k := range append([]string{total}, parts...) {
		p, ok := cells[k]
		switch {
		case !ok:
			return ""
		case p.status == "suppressed":
			if hidden != "" {
				return ""
			}
			hidden = k
		case p.count == nil && p.status != "no_residents":
			return "" // no_data: nothing to difference with
		}
	}
	return hidden
}

// TestSuppressedNeverInTiles walks tiles at several zooms for queries with
// many suppressed values and checks that no suppressed feature carries a
// number, and that tiles and the values API agree on every status.
func TestSuppressedNeverInTiles(t *testing.T) {
	nl := orb.Bound{Min: orb.Point{3.36, 50.75}, Max: orb.Point{7.23, 53.55}}
	utrecht := orb.Bound{Min: orb.Point{4.97, 52.02}, Max: orb.Point{5.20, 52.14}}
	for _, q := range hardCases {
		statuses := publishedAt(t, "wijk", q)
		for _, cover := range []struct {
			b orb.Bound
			z maptile.Zoom
		}{{nl, 6}, {utrecht, 10}, {utrecht, 12}} {
			set, err := tilecover.Geometry(cover.b.ToPolygon(), cover.z)
			if err != nil {
				t.Fatal(err)
			}
			for tile := range set {
				_, body := get(t, fmt.Sprintf("/tiles/wijk/%d/%d/%d.mvt?%s", tile.Z, tile.X, tile.Y, q))
				checkTileStatuses(t, body, statuses, q)
			}
		}
	}
}

func checkTileStatuses(t *testing.T, body []byte, statuses map[string]published, q string) {
	t.Helper()
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		for _, f := range l.Features {
			code, _ := f.Properties["code"].(string)
			status, _ := f.Properties["status"].(string)
			if status != statuses[code].status {
				t.Errorf("%s %s: tile says %s, API %s", q, code, status, statuses[code].status)
			}
			if status == "ok" {
				continue
			}
			for _, key := range []string{"value", "numerator", "denominator"} {
				if _, ok := f.Properties[key]; ok {
					t.Errorf("%s %s: %s feature carries %s", q, code, status, key)
				}
			}
		}
	}
}

// TestLegendCountsOnlyPublished checks that legends count only published
// values in their classes, for gemeenten with many suppressed wijken.
func TestLegendCountsOnlyPublished(t *testing.T) {
	for _, q := range hardCases {
		for _, gm := range []string{"GM0344", "GM0599", "GM0363"} {
			statuses := publishedAt(t, "wijk", q+"&gemeente="+gm)
			ok := 0
			for code, p := range statuses {
				if p.status == "ok" && code != catalog.NederlandCode {
					ok++
				}
			}
			res, body := get(t, "/api/legend?level=wijk&"+q+"&gemeente="+gm)
			if res.StatusCode != 200 {
				t.Fatalf("%s %s: %d %s", q, gm, res.StatusCode, body)
			}
			var legend struct {
				Classes []struct{ Count int } `json:"classes"`
			}
			if err := json.Unmarshal(body, &legend); err != nil {
				t.Fatal(err)
			}
			counted := 0
			for _, c := range legend.Classes {
				counted += c.Count
			}
			if counted != ok {
				t.Errorf("%s %s: legend classes count %d areas, %d are published", q, gm, counted, ok)
			}
		}
	}
}

// TestNoRecoveryFromRounding acts as an attacker who knows how counts are
// rounded: for every published ratio with its counts, of small groups in
// four cities, it enumerates the exact (numerator, denominator) pairs the
// rounding allows and keeps those that reproduce the published value. When
// a value is computed from the exact counts, that often leaves exactly
// one pair: the true counts. No published value may single out any pair
// but the published one, which says nothing the counts do not.
func TestNoRecoveryFromRounding(t *testing.T) {
	groups := []string{"somalie", "eritrea", "afghanistan", "iran"}
	indicators := []string{"pct_eerste_generatie_kort", "pct_bijstand", "verdachten"}
	gemeenten := []string{"GM0344", "GM0599", "GM0363", "GM0479"}
	checked, unique := 0, 0
	for _, id := range indicators {
		ind, ok := demoServer.cfg.Catalog.Indicator(id)
		if !ok {
			t.Fatalf("no indicator %s", id)
		}
		for _, query := range recoveryQueries(id, groups, gemeenten) {
			for _, v := range getValues(t, query).Values {
				if v.Status != "ok" || v.Numerator == nil || v.Denominator == nil || v.Provenance != "demo" {
					continue
				}
				checked++
				pairs := reproducingPairs(ind, *v.Value, *v.Numerator, *v.Denominator)
				if len(pairs) == 1 {
					unique++
					if pairs[0] != [2]float64{*v.Numerator, *v.Denominator} {
						t.Errorf("%s %s: value %v with counts %v/%v singles out the exact counts %v",
							query, v.Code, *v.Value, *v.Numerator, *v.Denominator, pairs[0])
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d published values checked; the attack needs more to mean something", checked)
	}
	t.Logf("%d published values checked; %d single out one pair of counts", checked, unique)
}

// recoveryQueries are the values queries of the attack: every group, wijk
// and buurt level, every gemeente.
func recoveryQueries(indicator string, groups, gemeenten []string) []string {
	var out []string
	for _, g := range groups {
		for _, gm := range gemeenten {
			for _, level := range []string{"wijk", "buurt"} {
				out = append(out, fmt.Sprintf("level=%s&indicator=%s&group=%s&gemeente=%s", level, indicator, g, gm))
			}
		}
	}
	return out
}

// reproducingPairs returns the whole (numerator, denominator) pairs within
// the rounding of the published counts that give the published value.
func reproducingPairs(ind catalog.Indicator, value, num, den float64) [][2]float64 {
	scale := ind.Unit.RatioScale()
	half := float64(disclosure.CountRounding / 2)
	var out [][2]float64
	for n := max(num-half, 0); n <= num+half; n++ {
		for d := max(den-half, 1); d <= den+half; d++ {
			if n <= d && disclosure.RoundTo(scale*n/d, ind.Decimals) == value {
				out = append(out, [2]float64{n, d})
			}
		}
	}
	return out
}

// TestSuppressedNeverInDownloads downloads every wijk of Nederland as CSV,
// GeoJSON and GeoPackage for queries with many suppressed values, and
// checks that no suppressed or otherwise unpublished area carries a number
// and that downloads and the values API agree on every status and count.
func TestSuppressedNeverInDownloads(t *testing.T) {
	for _, q := range hardCases {
		statuses := publishedAt(t, "wijk", q)
		values, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		prefix := values.Get("indicator") + "_" + values.Get("group") + "_"
		for _, format := range downloadFormats {
			t.Run(q+"/"+format, func(t *testing.T) {
				rows := downloadRows(t, "level=wijk&format="+format+"&"+q)
				if len(rows) < len(statuses)-1 {
					t.Errorf("%d rows for %d published areas", len(rows), len(statuses)-1)
				}
				suppressed := 0
				for _, row := range rows {
					checkDownloadRow(t, row, prefix, statuses)
					if row[prefix+"status"] == "suppressed" {
						suppressed++
					}
				}
				if suppressed == 0 {
					t.Errorf("no suppressed area in the download: the check checked nothing")
				}
			})
		}
	}
}

// checkDownloadRow checks one area of a download against the values API.
func checkDownloadRow(t *testing.T, row map[string]string, prefix string, statuses map[string]published) {
	t.Helper()
	code, status := row["code"], row[prefix+"status"]
	want, ok := statuses[code]
	if !ok || status != want.status {
		t.Errorf("%s: download says %q, values API %q", code, status, want.status)
	}
	if status != "ok" {
		for _, key := range []string{"value", "numerator", "denominator"} {
			if v := row[prefix+key]; v != "" {
				t.Errorf("%s: %s row carries %s %s", code, status, key, v)
			}
		}
		return
	}
	if want.count != nil && row[prefix+"numerator"] != formatNumber(want.count) {
		t.Errorf("%s: numerator %s, values API %v", code, row[prefix+"numerator"], *want.count)
	}
}
