package disclosure

import (
	"testing"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/store"
)

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
		wantStatus  Status
		wantNumbers bool
	}{
		{"enough observations", with(1000, true), OK, true},
		{"exactly the threshold", with(10, true), OK, true},
		{"one below the threshold", with(9, true), Suppressed, false},
		{"a single person", with(1, true), Suppressed, false},
		{"nobody of the group", with(0, true), NoResidents, false},
		{"unknown: controlled at the source", with(-1, true), OK, true},
		{"missing", with(1000, false), NoData, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy.NewTable(nil, catalog.Indicator{Unit: catalog.UnitPercentage, Decimals: 1}, nil, nil).Publish(tt.in)
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
