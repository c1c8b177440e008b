package styles

import (
	"github.com/paulmach/orb"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
)

// Test indicators, built directly rather than read from the catalogue.
func bijstand() catalog.Indicator {
	return catalog.Indicator{
		ID: "bijstand", Theme: "arbeid_inkomen",
		NameNL: "% 15 t/m 64 jarigen met bijstandsuitkering", NameEN: "% aged 15 to 64 on social assistance",
		Unit: catalog.UnitPercentage, Polarity: catalog.LowerIsFavourable, SplitByGroup: true, Decimals: 1,
		PolarityNL: "Minder mensen in de bijstand is gunstiger.",
		PolarityEN: "Fewer people on social assistance is more favourable.",
	}
}

func arbeid() catalog.Indicator {
	return catalog.Indicator{
		ID: "inkomen_uit_arbeid", Theme: "arbeid_inkomen",
		NameNL: "% 15 t/m 64 jarigen met inkomsten uit arbeid", NameEN: "% aged 15 to 64 with income from work",
		Unit: catalog.UnitPercentage, Polarity: catalog.HigherIsFavourable, SplitByGroup: true, Decimals: 1,
		PolarityNL: "Meer mensen met inkomsten uit arbeid is gunstiger.",
		PolarityEN: "More people with income from work is more favourable.",
	}
}

func leeftijd65() catalog.Indicator {
	return catalog.Indicator{
		ID: "leeftijd_65plus", Theme: "demografie",
		NameNL: "% inwoners van 65 jaar en ouder", NameEN: "% residents aged 65 and over",
		Unit: catalog.UnitPercentage, Polarity: catalog.Neutral, SplitByGroup: true, Decimals: 1,
		PolarityNL: "Beschrijvend: geen oordeel.", PolarityEN: "Descriptive: no judgement.",
	}
}

func buitenEuropa() catalog.Group {
	return catalog.Group{
		ID: "buiten_europa_buitenland", NameNL: "Buiten-Europa, in het buitenland geboren",
		NameEN: "Outside Europe, born abroad", Splits: []string{catalog.SplitHerkomst5},
	}
}

func utrecht() *store.Area {
	return &store.Area{
		Level: catalog.Gemeente, Year: 2023, Code: "GM0344", Name: "Utrecht",
		LonLatBound: orb.Bound{Min: orb.Point{4.970, 52.026}, Max: orb.Point{5.195, 52.143}},
	}
}

// fixture makes published values of one indicator and group in 2023.
type fixture struct {
	level catalog.Level
	ind   catalog.Indicator
	group catalog.Group
}

func (f fixture) publish(level catalog.Level, code string, v *float64, obs int) store.Published {
	raw := store.Value{
		Level: level, Year: 2023, Code: code, Indicator: f.ind.ID, Group: f.group.ID,
		Observations: obs, Provenance: store.Demo,
	}
	if v != nil {
		raw.Value = store.NullFloat(*v)
	}
	policy := disclosure.Policy{MinObservations: disclosure.DefaultMinObservations}
	return policy.NewTable(nil, f.ind, nil, disclosure.Links{}).Publish(raw)
}

// ok publishes a value based on enough observations.
func (f fixture) ok(code string, v float64) store.Published {
	return f.publish(f.level, code, &v, 250)
}

// suppressed publishes a value based on too few observations.
func (f fixture) suppressed(code string, v float64) store.Published {
	return f.publish(f.level, code, &v, 4)
}

// noData publishes a missing value.
func (f fixture) noData(code string) store.Published {
	return f.publish(f.level, code, nil, -1)
}

// nederland publishes the Nederland value; nil publishes it as missing.
func (f fixture) nederland(v *float64) store.Published {
	return f.publish(catalog.Nederland, catalog.NederlandCode, v, -1)
}

// oks publishes one value per number, with codes WK000001, WK000002, ….
func (f fixture) oks(values ...float64) []store.Published {
	out := make([]store.Published, len(values))
	for i, v := range values {
		out[i] = f.ok(wijkCode(i), v)
	}
	return out
}

func wijkCode(i int) string {
	const digits = "0123456789"
	return "WK0344" + string(digits[(i/10)%10]) + string(digits[i%10])
}

// params returns the parameters of a style of the fixture's values.
func (f fixture) params(values []store.Published, nl *float64) Params {
	return Params{
		Level: f.level, Indicator: f.ind, Group: f.group, Year: 2023,
		TileJSONURL: "http://localhost:8080/tiles/wijk.json?indicator=" + f.ind.ID + "&group=" + f.group.ID + "&year=2023",
		GlyphsURL:   "http://localhost:8080/fonts/{fontstack}/{range}.pbf",
		LabelsURL:   "http://localhost:8080/api/labels?level=" + string(f.level) + "&year=2023",
		Values:      values, Nederland: f.nederland(nl),
		MinObservations: disclosure.DefaultMinObservations,
	}
}

func ptr(v float64) *float64 { return &v }
