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
// tx (see startPublication).
func (w *Writer) publish(ctx context.Context, tx pgx.Tx, policy disclosure.Policy, scope []yearIndicator,
	batches iter.Seq2[disclosure.Batch, error]) (PublishStats, error) {
	pub, err := w.startPublication(ctx, tx, policy, scope, batches)
	if err != nil {
		return PublishStats{}, err
	}
	return pub.finish(ctx, tx)
}

// publishAhead is how many published batches disclosure control may run
// ahead of the copy into the database. Work on tx between the start and
// the finish of a publication (an import's copy of its raw values) leaves
// a processor to disclosure control; the bound keeps what waits in memory
// to a few indicators.
const publishAhead = 8

// publication is disclosure control under way on other goroutines: its
// published values wait to be copied by finish.
type publication struct {
	policy    disclosure.Policy
	scope     []yearIndicator
	published <-chan []store.Published
	done      <-chan error // the result of disclosure control, once
	stop      context.CancelFunc
	readErr   *error
}

// startPublication prepares tx for the publication of scope — the
// disclosure links of its years are read and its old published values
// deleted (readers see them until tx commits) — and starts publishing
// batches on other goroutines. tx is free for other work until finish,
// which must follow.
func (w *Writer) startPublication(ctx context.Context, tx pgx.Tx, policy disclosure.Policy, scope []yearIndicator,
	batches iter.Seq2[disclosure.Batch, error]) (*publication, error) {
	links, err := publicationLinks(ctx, tx, scope)
	if err != nil {
		return nil, err
	}
	if _, err := deleteScope(ctx, tx, "published_value", scope); err != nil {
		return nil, err
	}
	published := make(chan []store.Published, publishAhead)
	done := make(chan error, 1)
	pubCtx, stop := context.WithCancel(ctx)
	p := &publication{policy: policy, scope: scope, published: published, done: done, stop: stop, readErr: new(error)}
	go func() {
		defer close(published)
		done <- policy.PublishAll(pubCtx, w.cat, batchesOf(batches, p.readErr), func(year int) (disclosure.Links, error) {
			return links[year], nil
		}, runtime.GOMAXPROCS(0), func(_ disclosure.Batch, ps []store.Published) error {
			select {
			case published <- ps:
				return nil
			case <-pubCtx.Done():
				return pubCtx.Err()
			}
		})
	}()
	return p, nil
}

// finish copies the published values into their table as disclosure
// control yields them, records the publications and raises the data
// version.
func (p *publication) finish(ctx context.Context, tx pgx.Tx) (PublishStats, error) {
	var stats PublishStats
	_, copyErr := copyRows(ctx, tx, "published_value", publishedColumnNames, func(w *copyWriter) error {
		for batch := range p.published {
			stats.Series++
			for _, v := range batch {
				if !w.row() {
					return nil
				}
				stats.Values++
				if v.Status == store.Suppressed {
					stats.Suppressed++
				}
				writePublished(w, v)
			}
		}
		return nil
	})
	// Publishing stops when the copy does, whatever ended it.
	p.stop()
	if err := errors.Join(<-p.done, *p.readErr); err != nil && !errors.Is(err, context.Canceled) {
		return PublishStats{}, fmt.Errorf("publish: %w", err)
	}
	if copyErr != nil {
		return PublishStats{}, fmt.Errorf("copy published values: %w", copyErr)
	}
	return stats, recordPublications(ctx, tx, p.policy, p.scope)
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

// writePublished writes the columns publishedColumnNames of v.
func writePublished(w *copyWriter, v store.Published) {
	value, numerator, denominator := v.Numbers()
	w.int4(v.Year)
	w.text(string(v.Level))
	w.text(v.Code)
	w.text(v.Indicator)
	w.text(v.Group)
	w.text(string(v.Status))
	w.float8(value)
	w.float8(numerator)
	w.float8(denominator)
	w.text(string(v.Provenance))
}

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

// publicationLinks returns the disclosure links of every value year of
// scope, read in tx, so that boundaries imported in the same transaction
// count: the buurten's wijken, and the unions the lineage records on the
// boundary years the year's values are on (see disclosure.LinksOf).
func publicationLinks(ctx context.Context, tx pgx.Tx, scope []yearIndicator) (map[int]disclosure.Links, error) {
	lineage, err := readLineage(ctx, tx)
	if err != nil {
		return nil, err
	}
	assigned, err := recordedBoundaryYears(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]disclosure.Links)
	for _, k := range scope {
		if _, ok := out[k.year]; ok {
			continue
		}
		buurten, err := buurtenOfYear(ctx, tx, k.year)
		if err != nil {
			return nil, err
		}
		boundaries := make(map[catalog.Level]int)
		for ly, boundary := range assigned {
			if ly.year == k.year {
				boundaries[ly.level] = boundary
			}
		}
		out[k.year] = disclosure.LinksOf(buurten, lineage, boundaries)
	}
	return out, nil
}

// buurtenOfYear returns the buurten the buurt values of value year year
// are on, with the wijk each lies in.
func buurtenOfYear(ctx context.Context, tx pgx.Tx, year int) ([]store.Area, error) {
	rows, err := tx.Query(ctx, `
		SELECT a.code, coalesce(a.wijk_code, '')
		FROM wijkkaart.area AS a
		JOIN wijkkaart.boundary_year AS b ON b.level = a.level AND b.boundary_year = a.year
		WHERE b.year = $1 AND a.level = 'buurt'`, year)
	if err != nil {
		return nil, fmt.Errorf("read buurten of %d: %w", year, err)
	}
	buurten, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Area, error) {
		a := store.Area{Level: catalog.Buurt}
		err := row.Scan(&a.Code, &a.WijkCode)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read buurten of %d: %w", year, err)
	}
	return buurten, nil
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
		SELECT v.level, u.code, v.grp, u.value, u.numerator, u.denominator, u.observations, u.provenance
		FROM wijkkaart.value AS v,
		     unnest(v.code, v.value, v.numerator, v.denominator, v.observations, v.provenance)
		         AS u(code, value, numerator, denominator, observations, provenance)
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

// republish publishes again, under the rule it was published with, what
// was published of the value years whose values are on the boundary year
// year, after those boundaries changed: the links between buurten and
// wijken decide complementary suppression. It raises the data version
// even when there was nothing to publish, since tiles change.
func (w *Writer) republish(ctx context.Context, tx pgx.Tx, year int) error {
	rows, err := tx.Query(ctx, `
		SELECT p.min_observations, p.year, p.indicator FROM wijkkaart.publication AS p
		WHERE p.year = $1
		   OR p.year IN (SELECT b.year FROM wijkkaart.boundary_year AS b WHERE b.boundary_year = $1)
		ORDER BY 1, 2, 3`, year)
	if err != nil {
		return fmt.Errorf("find publications of %d: %w", year, err)
	}
	byRule := make(map[int][]yearIndicator)
	var rule, valueYear int
	var indicator string
	if _, err := pgx.ForEachRow(rows, []any{&rule, &valueYear, &indicator}, func() error {
		byRule[rule] = append(byRule[rule], yearIndicator{valueYear, indicator})
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
