package disclosure

import (
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

// percentage is a percentage indicator that publishes its counts.
var percentage = catalog.Indicator{ID: "pct_bijstand", Unit: catalog.UnitPercentage, Decimals: 1,
	NumeratorNL: "personen met bijstand", DenominatorNL: "personen van 15-64 jaar"}

func TestPublish(t *testing.T) {
	policy, err := NewPolicy(10)
	if err != nil {
		t.Fatal(err)
	}
	full := store.Value{Level: catalog.Wijk, Code: "WK034401", Value: store.NullFloat(4.5),
		Numerator: store.NullFloat(45), Denominator: store.NullFloat(1000), Provenance: store.Demo}
	with := func(obs int, valid bool) store.Value {
		v := full
		v.Observations = obs
		v.Value.Valid = valid
		return v
	}
	tests := []struct {
		name        string
		in          store.Value
		wantStatus  store.Status
		wantNumbers bool
	}{
		{"enough observations", with(1000, true), store.OK, true},
		{"exactly the threshold", with(10, true), store.OK, true},
		{"one below the threshold", with(9, true), store.Suppressed, false},
		{"a single person", with(1, true), store.Suppressed, false},
		{"nobody of the group", with(0, true), store.NoResidents, false},
		{"unknown: controlled at the source", with(-1, true), store.OK, true},
		{"missing", with(1000, false), store.NoData, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.NewTable(nil, percentage, nil, Links{}).Publish(tt.in)
			if p.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", p.Status, tt.wantStatus)
			}
			v, okV := p.Value()
			n, okN := p.Numerator()
			d, okD := p.Denominator()
			if okV != tt.wantNumbers || okN != tt.wantNumbers || okD != tt.wantNumbers {
				t.Fatalf("numbers present %v %v %v, want %v", okV, okN, okD, tt.wantNumbers)
			}
			if tt.wantNumbers && (v != 4.5 || n != 45 || d != 1000) {
				t.Errorf("numbers %v %v/%v", v, n, d)
			}
			if p.Code != "WK034401" || p.Provenance != store.Demo {
				t.Errorf("identity lost: %+v", p)
			}
		})
	}
}

func TestNewPolicyRejectsNonsense(t *testing.T) {
	for _, n := range []int{0, -5} {
		if _, err := NewPolicy(n); err == nil {
			t.Errorf("NewPolicy(%d) accepted", n)
		}
	}
}

func TestPublishedNumbers(t *testing.T) {
	policy := Policy{MinObservations: 10}
	average := catalog.Indicator{ID: "cito_score", Unit: catalog.UnitScore, Decimals: 1, DenominatorNL: "leerlingen"}
	count := catalog.Indicator{ID: "inwoners", Unit: catalog.UnitCount, NumeratorNL: "inwoners"}
	raw := func(value, num, den float64, prov store.Provenance) store.Value {
		v := store.Value{Level: catalog.Wijk, Code: "WK034401", Value: store.NullFloat(value), Observations: 1000, Provenance: prov}
		if num >= 0 {
			v.Numerator = store.NullFloat(num)
		}
		if den >= 0 {
			v.Denominator = store.NullFloat(den)
		}
		return v
	}
	tests := []struct {
		name     string
		ind      catalog.Indicator
		in       store.Value
		value    float64
		num, den float64 // -1: absent
	}{
		{"a ratio is computed from the rounded counts", percentage, raw(8, 2, 25, store.Demo), 0, 0, 25},
		{"rounded both ways", percentage, raw(100*13/27.0, 13, 27, store.Demo), 60, 15, 25},
		{"a tiny denominator publishes the value alone", percentage, raw(50, 1, 2, store.Demo), 50, -1, -1},
		{"CBS figures as CBS published them", percentage, raw(12.34, 123, 997, store.CBS), 12.3, 123, 997},
		{"a count is rounded", count, raw(1234, 1234, -1, store.Demo), 1235, 1235, -1},
		{"an average keeps its value and its rounded denominator, not its sum", average, raw(534.26, 5342.6, 10, store.Demo), 534.3, -1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.NewTable(nil, tt.ind, nil, Links{}).Publish(tt.in)
			if p.Status != store.OK {
				t.Fatalf("status %s", p.Status)
			}
			value, num, den := p.Numbers()
			if !value.Valid || value.V != tt.value {
				t.Errorf("value %v, want %v", value, tt.value)
			}
			for _, c := range []struct {
				name string
				got  store.NullFloat64
				want float64
			}{{"numerator", num, tt.num}, {"denominator", den, tt.den}} {
				if c.got.Valid != (c.want >= 0) || c.got.Valid && c.got.V != c.want {
					t.Errorf("%s %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
}
