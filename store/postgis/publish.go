package postgis

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"

	"github.com/jackc/pgx/v5"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
)

// PublishStats says what a publication did.
type PublishStats struct {
	// Series is how many (year, indicator) pairs were published.
	Series int
	// Values is how many values were published, of any status.
	Values int
	// Suppressed is how many of them were suppressed.
	Suppressed int
}

// Publish runs disclosure control under policy on the raw values of the
// given years and indicators (all of them where empty) and replaces their
// published values in one transaction: servers switch from the old
// published numbers to the new ones at once.
func (w *Writer) Publish(ctx context.Context, policy disclosure.Policy, years []int, indicators []string) (PublishStats, error) {
	var stats PublishStats
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		scope, err := rawScope(ctx, tx, years, indicators)
		if err != nil {
			return err
		}
		if stats, err = w.publish(ctx, tx, policy, scope, w.rawBatches(ctx, scope)); err != nil {
			return err
		}
		return notify(ctx, tx, "publication")
	})
	if err != nil {
		return PublishStats{}, fmt.Errorf("postgis: publish: %w", describe(err))
	}
	return stats, w.analyze(ctx)
}

// rawScope returns the (year, indicator) pairs that have raw values, of
// the given years and indicators (all where empty).
func rawScope(ctx context.Context, tx pgx.Tx, years []int, indicators []string) ([]yearIndicator, error) {
	const q = `
		SELECT DISTINCT year, indicator FROM wijkkaart.value
		WHERE (cardinality(@years::integer[]) = 0 OR year = ANY(@years))
		  AND (cardinality(@indicators::text[]) = 0 OR indicator = ANY(@indicators))
		ORDER BY year, indicator`
	rows, err := tx.Query(ctx, q, pgx.NamedArgs{"years": nonNilInts(years), "indicators": nonNil(indicators)})
	if err != nil {
		return nil, fmt.Errorf("find values to publish: %w", err)
	}
	scope, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (yearIndicator, error) {
		var k yearIndicator
		err := row.Scan(&k.year, &k.indicator)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("find values to publish: %w", err)
	}
	return scope, nil
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// rawBatches reads the committed raw values of each pair of scope, one
// batch at a time, on a connection of its own.
func (w *Writer) rawBatches(ctx context.Context, scope []yearIndicator) iter.Seq2[disclosure.Batch, error] {
	return func(yield func(disclosure.Batch, error) bool) {
		for _, k := range scope {
			values, err := readRawValues(ctx, w.pool, k.year, k.indicator, catalogLevels())
			if !yield(disclosure.Batch{Year: k.year, Indicator: k.indicator, Values: values}, err) || err != nil {
				return
			}
		}
	}
}

// publish publishes batches, the raw values of exactly the pairs of scope,
// and replaces the published values and publication records of scope in
// tx, copying the published values straight into their table (the old
// ones are deleted first; readers see them until tx commits). The data
// version is raised.
func (w *Writer) publish(ctx context.Context, tx pgx.Tx, policy disclosure.Policy, scope []yearIndicator,
	batches iter.Seq2[disclosure.Batch, error]) (PublishStats, error) {
	var stats PublishStats
	parents, err := parentLinks(ctx, tx, scope)
	if err != nil {
		return stats, err
	}
	if _, err := deleteScope(ctx, tx, "published_value", scope); err != nil {
		return stats, err
	}
	var readErr error
	rows := make(chan []any, 4096)
	published := make(chan error, 1)
	// Publishing stops when the copy does, whatever ended it.
	pubCtx, stopPublishing := context.WithCancel(ctx)
	defer stopPublishing()
	go func() {
		defer close(rows)
		published <- policy.PublishAll(pubCtx, w.cat, batchesOf(batches, &readErr), func(year int) (disclosure.Parent, error) {
			return parents[year], nil
		}, runtime.GOMAXPROCS(0), func(_ disclosure.Batch, ps []store.Published) error {
			stats.Series++
			for _, p := range ps {
				stats.Values++
				if p.Status == store.Suppressed {
					stats.Suppressed++
				}
				select {
				case rows <- publishedRecord(p):
				case <-pubCtx.Done():
					return pubCtx.Err()
				}
			}
			return nil
		})
	}()
	_, copyErr := tx.CopyFrom(ctx, pgx.Identifier{"wijkkaart", "published_value"}, publishedColumnNames, &channelSource{rows: rows})
	stopPublishing()
	if err := errors.Join(<-published, readErr); err != nil && !errors.Is(err, context.Canceled) {
		return stats, fmt.Errorf("publish: %w", err)
	}
	if copyErr != nil {
		return stats, fmt.Errorf("copy published values: %w", copyErr)
	}
	return stats, recordPublications(ctx, tx, policy, scope)
}

// batchesOf adapts a sequence of batches that may fail, keeping the first
// error in errp and ending there.
func batchesOf(seq iter.Seq2[disclosure.Batch, error], errp *error) iter.Seq[disclosure.Batch] {
	return func(yield func(disclosure.Batch) bool) {
		for b, err := range seq {
			if err != nil {
				*errp = err
				return
			}
			if !yield(b) {
				return
			}
		}
	}
}

var publishedColumnNames = []string{"year", "level", "code", "indicator", "grp", "status", "value", "numerator", "denominator", "provenance"}

func publishedRecord(p store.Published) []any {
	value, numerator, denominator := p.Numbers()
	return []any{p.Year, string(p.Level), p.Code, p.Indicator, p.Group, string(p.Status),
		nullable(value), nullable(numerator), nullable(denominator), string(p.Provenance)}
}

// channelSource is a pgx.CopyFromSource reading rows from a channel until
// it is closed.
type channelSource struct {
	rows    <-chan []any
	current []any
}

// Next implements pgx.CopyFromSource.
func (c *channelSource) Next() bool {
	row, ok := <-c.rows
	c.current = row
	return ok
}

// Values implements pgx.CopyFromSource.
func (c *channelSource) Values() ([]any, error) { return c.current, nil }

// Err implements pgx.CopyFromSource; the producer reports its own errors.
func (c *channelSource) Err() error { return nil }

// recordPublications records the publications of scope under policy and
// raises the data version.
func recordPublications(ctx context.Context, tx pgx.Tx, policy disclosure.Policy, scope []yearIndicator) error {
	const record = `
		INSERT INTO wijkkaart.publication (year, indicator, min_observations, count_rounding)
		SELECT year, indicator, @min_observations, @count_rounding
		FROM unnest(@years::integer[], @indicators::text[]) AS s(year, indicator)
		ON CONFLICT (year, indicator) DO UPDATE SET min_observations = excluded.min_observations,
			count_rounding = excluded.count_rounding, published_at = now()`
	args := scopeArgs(scope)
	args["min_observations"], args["count_rounding"] = policy.MinObservations, disclosure.CountRounding
	if _, err := tx.Exec(ctx, record, args); err != nil {
		return fmt.Errorf("record publications: %w", err)
	}
	return raiseVersion(ctx, tx)
}

// raiseVersion makes a new data version, which servers see when tx
// commits.
func raiseVersion(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `UPDATE wijkkaart.data_version SET version = version + 1`); err != nil {
		return fmt.Errorf("raise data version: %w", err)
	}
	return nil
}

// parentLinks returns the disclosure parent links of every year of scope,
// read in tx, so that boundaries imported in the same transaction count.
func parentLinks(ctx context.Context, tx pgx.Tx, scope []yearIndicator) (map[int]disclosure.Parent, error) {
	out := make(map[int]disclosure.Parent)
	for _, k := range scope {
		if _, ok := out[k.year]; ok {
			continue
		}
		rows, err := tx.Query(ctx, `
			SELECT code, coalesce(wijk_code, '') FROM wijkkaart.area WHERE year = $1 AND level = 'buurt'`, k.year)
		if err != nil {
			return nil, fmt.Errorf("read buurten of %d: %w", k.year, err)
		}
		buurten, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Area, error) {
			a := store.Area{Level: catalog.Buurt, Year: k.year}
			err := row.Scan(&a.Code, &a.WijkCode)
			return a, err
		})
		if err != nil {
			return nil, fmt.Errorf("read buurten of %d: %w", k.year, err)
		}
		out[k.year] = disclosure.ParentFromAreas(buurten)
	}
	return out, nil
}

// catalogLevels returns the levels of the area hierarchy as strings.
func catalogLevels() []string {
	var out []string
	for _, l := range catalog.Levels() {
		out = append(out, string(l))
	}
	return out
}

// readRawValues returns the raw values of an indicator in a year at the
// given levels, for every group, as q sees them.
func readRawValues(ctx context.Context, q querier, year int, indicator string, levels []string) ([]store.Value, error) {
	const sql = `
		SELECT v.level, v.code, v.grp, v.value, v.numerator, v.denominator, v.observations, v.provenance
		FROM wijkkaart.value AS v
		WHERE v.year = @year AND v.indicator = @indicator AND v.level = ANY(@levels::text[])`
	rows, err := q.Query(ctx, sql, pgx.NamedArgs{"year": year, "indicator": indicator, "levels": nonNil(levels)})
	if err != nil {
		return nil, fmt.Errorf("read values of %s %d: %w", indicator, year, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Value, error) {
		v := store.Value{Year: year, Indicator: indicator}
		var level, provenance string
		var value, numerator, denominator *float64
		err := row.Scan(&level, &v.Code, &v.Group, &value, &numerator, &denominator, &v.Observations, &provenance)
		v.Level, v.Provenance = catalog.Level(level), store.Provenance(provenance)
		v.Value, v.Numerator, v.Denominator = nullFloat(value), nullFloat(numerator), nullFloat(denominator)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("read values of %s %d: %w", indicator, year, err)
	}
	return out, nil
}

// republish publishes again what was published of year, under the rule it
// was published with, after its boundaries changed: the links between
// buurten and wijken decide complementary suppression. It raises the data
// version even when there was nothing to publish, since tiles change.
func (w *Writer) republish(ctx context.Context, tx pgx.Tx, year int) error {
	rows, err := tx.Query(ctx, `
		SELECT min_observations, indicator FROM wijkkaart.publication WHERE year = $1 ORDER BY 1, 2`, year)
	if err != nil {
		return fmt.Errorf("find publications of %d: %w", year, err)
	}
	byRule := make(map[int][]yearIndicator)
	var rule int
	var indicator string
	if _, err := pgx.ForEachRow(rows, []any{&rule, &indicator}, func() error {
		byRule[rule] = append(byRule[rule], yearIndicator{year, indicator})
		return nil
	}); err != nil {
		return fmt.Errorf("find publications of %d: %w", year, err)
	}
	for rule, scope := range byRule {
		policy, err := disclosure.NewPolicy(rule)
		if err != nil {
			return err
		}
		if _, err := w.publish(ctx, tx, policy, scope, w.rawBatches(ctx, scope)); err != nil {
			return err
		}
	}
	return raiseVersion(ctx, tx)
}
