package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/wijkkaart/wijkkaart/catalog"
	"github.com/wijkkaart/wijkkaart/demo"
	"github.com/wijkkaart/wijkkaart/disclosure"
	"github.com/wijkkaart/wijkkaart/store"
	"github.com/wijkkaart/wijkkaart/store/memstore"
)

// embeddedDemo serves the demo data without a database: published by the
// same code as `wijkkaart import demo` publishes into PostGIS, once, and
// kept in a file in the cache directory for the next start.
type embeddedDemo struct {
	cat      *catalog.Catalog
	policy   disclosure.Policy
	cacheDir string // empty: keep nothing between starts
	logger   *slog.Logger
}

// open returns the store, reading the published demo from the cache file
// when there is one for this binary and threshold, and publishing it (and
// writing the file) otherwise.
func (e embeddedDemo) open(ctx context.Context) (*memstore.Store, error) {
	start := time.Now()
	ds, err := demo.Load(e.cat)
	if err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	key, err := e.cacheKey()
	if err != nil {
		return nil, err
	}
	b, err := memstore.NewBuilder(e.cat, ds.AllAreas())
	if err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	file := e.cacheFile(key)
	if file != "" {
		err := readCacheFile(file, b)
		if err == nil {
			e.logger.InfoContext(ctx, "serving the published demo data", "file", file, "took", time.Since(start).Round(time.Millisecond))
			return b.Build(versionOf(key)), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			e.logger.WarnContext(ctx, "the published demo data in the cache cannot be read; publishing it again", "file", file, "error", err)
			if b, err = memstore.NewBuilder(e.cat, ds.AllAreas()); err != nil {
				return nil, fmt.Errorf("load demo data: %w", err)
			}
		}
	}
	e.logger.InfoContext(ctx, "publishing the demo data (disclosure control); the next start reads it from the cache",
		"min_observations", e.policy.MinObservations, "cache", file)
	// Publishing is processor-bound and makes garbage fast (each batch's
	// values and tables): collecting less often while it runs makes the
	// first start about a fifth faster, at a higher peak of memory (about
	// 4 GB instead of 1.7 GB; GOMEMLIMIT bounds it, at the cost of
	// speed). The garbage goes when the setting is restored.
	gcPercent := debug.SetGCPercent(publishGCPercent)
	err = ds.PublishInto(ctx, e.cat, e.policy, b)
	debug.SetGCPercent(gcPercent)
	if err != nil {
		return nil, err
	}
	st := b.Build(versionOf(key))
	e.logger.InfoContext(ctx, "published the demo data", "took", time.Since(start).Round(time.Millisecond))
	if file != "" {
		if err := writeCacheFile(file, st); err != nil {
			e.logger.WarnContext(ctx, "cannot keep the published demo data for the next start", "file", file, "error", err)
		}
	}
	return st, nil
}

// publishGCPercent is the garbage collector's setting while the demo is
// published (GOGC=400): the heap may grow to five times what is live.
const publishGCPercent = 400

// cacheKey names one publication of the demo: this binary (its code, its
// catalogue, its demo data and model) under this disclosure threshold.
func (e embeddedDemo) cacheKey() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the wijkkaart binary: %w", err)
	}
	code, err := os.ReadFile(exe)
	if err != nil {
		return "", fmt.Errorf("read the wijkkaart binary: %w", err)
	}
	h := sha256.New()
	h.Write(code)
	h.Write(fmt.Appendf(nil, "\nmin_observations=%d count_rounding=%d", e.policy.MinObservations, disclosure.CountRounding))
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// cacheFile is where the publication of key is kept, or "" without a
// cache directory.
func (e embeddedDemo) cacheFile(key string) string {
	if e.cacheDir == "" {
		return ""
	}
	return filepath.Join(e.cacheDir, "demo-published-"+key+".gz")
}

// versionOf turns a cache key into the store's data version, so that
// tiles cached by a client (ETag) of another publication never match.
func versionOf(key string) store.Version {
	b, err := hex.DecodeString(key[:16])
	if err != nil {
		return 1
	}
	return store.Version(binary.BigEndian.Uint64(b) >> 1)
}

func readCacheFile(file string, b *memstore.Builder) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	return errors.Join(b.ReadValues(f), f.Close())
}

// writeCacheFile writes the store's values to file atomically, and removes
// the files of other publications.
func writeCacheFile(file string, st *memstore.Store) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".demo-published-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // gone after the rename; only a failed write leaves it
	if err := st.WriteValues(tmp); err != nil {
		return errors.Join(err, tmp.Close())
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "demo-published-*.gz"))
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	for _, o := range old {
		if o != file {
			if err := os.Remove(o); err != nil {
				return err
			}
		}
	}
	return nil
}

// defaultCacheDir is where the published demo is kept by default.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "wijkkaart")
}
