package postgis

import (
	"context"
	"errors"
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
	columns := []string{"year", "level", "code", "indicator", "grp", "value", "numerator", "denominator", "observations", "provenance"}
	write := func(observations int, n int, fail error) func(*copyWriter) error {
		return func(w *copyWriter) error {
			for i := range n {
				if !w.row() {
					return nil
				}
				w.int4(2022)
				w.text("wijk")
				w.text("WK03440" + string(rune('0'+i)))
				w.text("pct_bijstand")
				w.text("totaal")
				w.float8(store.NullFloat(4.5))
				w.float8(store.NullFloat(45))
				w.float8(store.NullFloat64{})
				w.int4(observations)
				w.text("demo")
			}
			return fail
		}
	}
	count := func(t *testing.T) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM wijkkaart.value`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("rows arrive", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			n, err := copyRows(ctx, tx, "value", columns, write(1000, 3, nil))
			if n != 3 {
				t.Errorf("copied %d rows, want 3", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var code string
		var value, numerator float64
		var denominator *float64
		if err := pool.QueryRow(ctx, `SELECT code, value, numerator, denominator FROM wijkkaart.value ORDER BY code LIMIT 1`).
			Scan(&code, &value, &numerator, &denominator); err != nil {
			t.Fatal(err)
		}
		if code != "WK034400" || value != 4.5 || numerator != 45 || denominator != nil {
			t.Errorf("read back %s %v %v %v", code, value, numerator, denominator)
		}
	})
	before := count(t)
	for _, tt := range []struct {
		name  string
		rows  func(*copyWriter) error
		wants string
	}{
		{"the producer fails", write(1000, 2, errors.New("bad input")), "bad input"},
		{"the database refuses a row", write(-5, 2, nil), "value_observations_check"},
		{"the database refuses early in a long copy", write(-5, 200000, nil), "value_observations_check"},
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
