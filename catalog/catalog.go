// Package catalog describes what wijkkaart can show: the themes and
// indicators of the KIS monitor, the herkomstgroepen values are split by, and
// the geographic levels values belong to.
//
// The catalogue is data, not code: it is read from indicators.json and
// groups.json, embedded in the binary, and validated when loaded.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Unit is the unit an indicator is expressed in.
type Unit string

// The units an indicator can have.
const (
	UnitPercentage Unit = "percentage"
	UnitPer1000    Unit = "per1000"
	UnitCount      Unit = "count"
	UnitScore      Unit = "score"
	UnitYears      Unit = "years"
	UnitIndex      Unit = "index"
)

// Polarity says which direction of an indicator is favourable for residents.
// Neutral indicators are descriptive: they get a sequential legend
// ("lager / hoger"), the others a diverging one ("gunstiger / ongunstiger").
type Polarity string

// The polarities an indicator can have.
const (
	Neutral            Polarity = "neutral"
	HigherIsFavourable Polarity = "higher_is_favourable"
	LowerIsFavourable  Polarity = "lower_is_favourable"
)

// Theme groups indicators, as the KIS monitor did.
type Theme struct {
	ID     string `json:"id"`
	NameNL string `json:"name_nl"`
	NameEN string `json:"name_en"`
	// Descriptive themes (Demografie, Zorg & welzijn) make no judgement.
	Descriptive bool `json:"descriptive"`
}

// RatioScale returns what a ratio of unit is multiplied by (100 for a
// percentage, 1000 for a figure per 1,000), or 0 for units that are not a
// ratio of a numerator to a denominator.
func (u Unit) RatioScale() float64 {
	switch u {
	case UnitPercentage:
		return 100
	case UnitPer1000:
		return 1000
	}
	return 0
}

// Indicator is one statistic in the catalogue.
type Indicator struct {
	ID       string   `json:"id"`
	Theme    string   `json:"theme"`
	NameNL   string   `json:"name_nl"`
	NameEN   string   `json:"name_en"`
	Unit     Unit     `json:"unit"`
	Polarity Polarity `json:"polarity"`
	// SplitByGroup is false for indicators that describe an area as a
	// whole, such as a segregation index: they exist for group totaal only.
	SplitByGroup bool `json:"split_by_group"`
	// Decimals is how many decimals a value is published with.
	Decimals int `json:"decimals"`
	// NumeratorNL/EN and DenominatorNL/EN name what is counted, so that a
	// percentage can be shown with the counts it was computed from.
	NumeratorNL   string `json:"numerator_nl"`
	NumeratorEN   string `json:"numerator_en"`
	DenominatorNL string `json:"denominator_nl"`
	DenominatorEN string `json:"denominator_en"`
	// ExplanationNL/EN say in plain language what the indicator measures.
	ExplanationNL string `json:"explanation_nl"`
	ExplanationEN string `json:"explanation_en"`
	// PolarityNL/EN say why the polarity is what it is, or, for neutral
	// indicators, why no judgement is made.
	PolarityNL string `json:"polarity_nl"`
	PolarityEN string `json:"polarity_en"`
}

// Evaluative reports whether the indicator judges areas as more or less
// favourable than the Dutch average of the same group.
func (ind Indicator) Evaluative() bool { return ind.Polarity != Neutral }

// Split is a way of dividing the population into herkomstgroepen.
type Split struct {
	ID     string `json:"id"`
	NameNL string `json:"name_nl"`
	NameEN string `json:"name_en"`
}

// The splits. Every group belongs to one or more of them.
const (
	SplitTotaal     = "totaal"
	SplitHerkomst5  = "herkomst5"
	SplitHerkomst20 = "herkomst20"
)

// TotaalGroup is the id of the group of all inhabitants.
const TotaalGroup = "totaal"

// Group is a herkomstgroep (migration background group).
type Group struct {
	ID     string `json:"id"`
	NameNL string `json:"name_nl"`
	NameEN string `json:"name_en"`
	// Splits lists the splits the group is part of. "Geen
	// migratieachtergrond" is part of both the five- and twenty-way split.
	Splits []string `json:"splits"`
	// Region is RegionEuropa or RegionBuitenEuropa for groups with a
	// migration background, empty for totaal and geen_migratieachtergrond.
	// The two generations of a region in the five-way split add up to its
	// countries in the twenty-way split.
	Region string `json:"region,omitempty"`
}

// The regions of origin.
const (
	RegionEuropa       = "europa"
	RegionBuitenEuropa = "buiten_europa"
)

// InSplit reports whether the group is part of split.
func (g Group) InSplit(split string) bool {
	for _, s := range g.Splits {
		if s == split {
			return true
		}
	}
	return false
}

// Catalog is the validated, read-only catalogue. It is safe for concurrent
// use.
type Catalog struct {
	Themes     []Theme
	Indicators []Indicator
	Splits     []Split
	Groups     []Group

	indicatorByID map[string]int
	groupByID     map[string]int
	themeByID     map[string]int
}

//go:embed indicators.json
var indicatorsJSON []byte

//go:embed groups.json
var groupsJSON []byte

// Default returns the catalogue that ships with wijkkaart.
func Default() (*Catalog, error) {
	return Parse(indicatorsJSON, groupsJSON)
}

// Parse reads a catalogue from its two JSON documents and validates it.
func Parse(indicatorsDoc, groupsDoc []byte) (*Catalog, error) {
	var ind struct {
		Themes     []Theme     `json:"themes"`
		Indicators []Indicator `json:"indicators"`
	}
	if err := decodeStrict(indicatorsDoc, &ind); err != nil {
		return nil, fmt.Errorf("catalog: indicators: %w", err)
	}
	var grp struct {
		Splits []Split `json:"splits"`
		Groups []Group `json:"groups"`
	}
	if err := decodeStrict(groupsDoc, &grp); err != nil {
		return nil, fmt.Errorf("catalog: groups: %w", err)
	}
	c := &Catalog{
		Themes:        ind.Themes,
		Indicators:    ind.Indicators,
		Splits:        grp.Splits,
		Groups:        grp.Groups,
		indicatorByID: make(map[string]int),
		groupByID:     make(map[string]int),
		themeByID:     make(map[string]int),
	}
	if err := c.index(); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return c, nil
}

// decodeStrict decodes doc into v, rejecting unknown fields and anything
// after the first JSON value, so that a half-pasted or concatenated file is
// an error rather than silently read in part.
func decodeStrict(doc []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("unexpected data after the JSON document at offset %d", dec.InputOffset())
	}
	return nil
}

// index builds the lookup maps and checks the catalogue is consistent.
func (c *Catalog) index() error {
	var errs []error
	for i, t := range c.Themes {
		if _, dup := c.themeByID[t.ID]; dup || t.ID == "" {
			errs = append(errs, fmt.Errorf("theme %d: empty or duplicate id %q", i, t.ID))
		}
		if t.NameNL == "" || t.NameEN == "" {
			errs = append(errs, fmt.Errorf("theme %d (%s): missing name", i, t.ID))
		}
		c.themeByID[t.ID] = i
	}
	for i, ind := range c.Indicators {
		if err := c.checkIndicator(ind); err != nil {
			errs = append(errs, fmt.Errorf("indicator %d (%s): %w", i, ind.ID, err))
		}
		if _, dup := c.indicatorByID[ind.ID]; dup {
			errs = append(errs, fmt.Errorf("indicator %d: duplicate id %q", i, ind.ID))
		}
		c.indicatorByID[ind.ID] = i
	}
	splits := make(map[string]bool)
	for _, s := range c.Splits {
		splits[s.ID] = true
	}
	for i, g := range c.Groups {
		if _, dup := c.groupByID[g.ID]; dup || g.ID == "" || g.NameNL == "" || g.NameEN == "" {
			errs = append(errs, fmt.Errorf("group %d: empty or duplicate id, or missing name: %q", i, g.ID))
		}
		for _, s := range g.Splits {
			if !splits[s] {
				errs = append(errs, fmt.Errorf("group %s: unknown split %q", g.ID, s))
			}
		}
		if g.Region != "" && g.Region != RegionEuropa && g.Region != RegionBuitenEuropa {
			errs = append(errs, fmt.Errorf("group %s: unknown region %q", g.ID, g.Region))
		}
		c.groupByID[g.ID] = i
	}
	if _, ok := c.groupByID[TotaalGroup]; !ok {
		errs = append(errs, fmt.Errorf("group %q is missing", TotaalGroup))
	}
	return errors.Join(errs...)
}

func (c *Catalog) checkIndicator(ind Indicator) error {
	switch {
	case ind.ID == "":
		return errors.New("empty id")
	case ind.NameNL == "" || ind.NameEN == "":
		return errors.New("missing name")
	case ind.ExplanationNL == "" || ind.PolarityNL == "":
		return errors.New("missing Dutch explanation of the indicator or its polarity")
	case ind.ExplanationEN == "" || ind.PolarityEN == "":
		return errors.New("missing English explanation of the indicator or its polarity")
	case ind.Decimals < 0 || ind.Decimals > 3:
		return fmt.Errorf("decimals %d out of range 0..3", ind.Decimals)
	}
	if _, ok := c.themeByID[ind.Theme]; !ok {
		return fmt.Errorf("unknown theme %q", ind.Theme)
	}
	switch ind.Unit {
	case UnitPercentage, UnitPer1000, UnitCount, UnitScore, UnitYears, UnitIndex:
	default:
		return fmt.Errorf("unknown unit %q", ind.Unit)
	}
	switch ind.Polarity {
	case Neutral, HigherIsFavourable, LowerIsFavourable:
	default:
		return fmt.Errorf("unknown polarity %q", ind.Polarity)
	}
	if c.Themes[c.themeByID[ind.Theme]].Descriptive && ind.Polarity != Neutral {
		return fmt.Errorf("indicator of descriptive theme %q must be neutral", ind.Theme)
	}
	return nil
}

// Indicator returns the indicator with the given id.
func (c *Catalog) Indicator(id string) (Indicator, bool) {
	i, ok := c.indicatorByID[id]
	if !ok {
		return Indicator{}, false
	}
	return c.Indicators[i], true
}

// Group returns the herkomstgroep with the given id.
func (c *Catalog) Group(id string) (Group, bool) {
	i, ok := c.groupByID[id]
	if !ok {
		return Group{}, false
	}
	return c.Groups[i], true
}

// Theme returns the theme with the given id.
func (c *Catalog) Theme(id string) (Theme, bool) {
	i, ok := c.themeByID[id]
	if !ok {
		return Theme{}, false
	}
	return c.Themes[i], true
}

// GroupsOf returns the groups an indicator exists for: every group when it
// can be split by herkomstgroep, only totaal when it cannot.
func (c *Catalog) GroupsOf(ind Indicator) []Group {
	if ind.SplitByGroup {
		return c.Groups
	}
	g, _ := c.Group(TotaalGroup)
	return []Group{g}
}
