package postgis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// TestCopyRows copies rows in the binary format and reads them back, and
// checks that a copy that fails, on either side, says why and leaves
// nothing behind.
func TestCopyRows(t *testing.T) {
	ctx := context.Background()
	pool, err := Connect(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	columns := []string{"year", "indicator", "level", "grp", "code", "value", "numerator", "denominator", "observations", "provenance"}
	// write copies n series of two values each, the second without a
	// denominator, with the given observations, and then fails if fail
	// is set.
	write := func(observations int, n int, fail error) func(*copyWriter) error {
		return func(w *copyWriter) error {
			for i := range n {
				if !w.row() {
					return nil
				}
				series := []store.Value{
					{Year: 2022, Indicator: "pct_bijstand", Level: "wijk", Group: fmt.Sprint("g", i), Code: "WK034401",
						Value: store.NullFloat(4.5), Numerator: store.NullFloat(45), Denominator: store.NullFloat(1000),
						Observations: observations, Provenance: store.Demo},
					{Year: 2022, Indicator: "pct_bijstand", Level: "wijk", Group: fmt.Sprint("g", i), Code: "WK034402",
						Value: store.NullFloat(7), Numerator: store.NullFloat(70), Observations: -1, Provenance: store.CBS},
				}
				writeSeries(w, series)
			}
			return fail
		}
	}
	count := func(t *testing.T) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM wijkkaart.value, unnest(code)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("rows arrive", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			n, err := copyRows(ctx, tx, "value", columns, write(1000, 3, nil))
			if n != 3 {
				t.Errorf("copied %d series, want 3", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := readRawValues(ctx, pool, 2022, "pct_bijstand", []string{"wijk"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 6 {
			t.Fatalf("read back %d values, want 6", len(got))
		}
		slices.SortFunc(got, store.CompareValues)
		first, second := got[0], got[1]
		if first.Code != "WK034401" || first.Value != store.NullFloat(4.5) || first.Denominator != store.NullFloat(1000) ||
			first.Observations != 1000 || first.Provenance != store.Demo {
			t.Errorf("first value read back as %+v", first)
		}
		if second.Code != "WK034402" || second.Denominator.Valid || second.Observations != -1 || second.Provenance != store.CBS {
			t.Errorf("second value read back as %+v", second)
		}
	})
	before := count(t)
	for _, tt := range []struct {
		name  string
		rows  func(*copyWriter) error
		wants string
	}{
		{"the producer fails", write(1000, 2, errors.New("bad input")), "bad input"},
		{"the database refuses a row", write(-5, 2, nil), "value_observations_known"},
		{"the database refuses early in a long copy", write(-5, 200000, nil), "value_observations_known"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				_, err := copyRows(ctx, tx, "value", columns, tt.rows)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tt.wants) {
				t.Errorf("error %v, want one about %q", err, tt.wants)
			}
			if n := count(t); n != before {
				t.Errorf("%d rows after a failed copy, want %d", n, before)
			}
		})
	}
}
