package tiles

import (
	"fmt"
	"maps"
	"math"

	"github.com/paulmach/orb/encoding/mvt/vectortile"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the Mapbox Vector Tile protobuf schema (vector_tile.proto
// of specification 2.1).
const (
	tileLayers protowire.Number = 3

	layerName     protowire.Number = 1
	layerFeatures protowire.Number = 2
	layerKeys     protowire.Number = 3
	layerValues   protowire.Number = 4
	layerExtent   protowire.Number = 5
	layerVersion  protowire.Number = 15

	featureID       protowire.Number = 1
	featureTags     protowire.Number = 2
	featureType     protowire.Number = 3
	featureGeometry protowire.Number = 4

	valueString protowire.Number = 1
	valueDouble protowire.Number = 3
	valueUint   protowire.Number = 5
	valueSint   protowire.Number = 6
	valueBool   protowire.Number = 7
)

// Shape is one area's outline in one tile, encoded once: its MVT
// geometry type and commands as they appear in every feature drawn on it.
type Shape struct {
	// encoded holds the feature's type and geometry fields, ready to be
	// appended after its id and tags.
	encoded []byte
}

// newShape encodes a feature's geometry type and commands.
func newShape(typ vectortile.Tile_GeomType, commands []uint32) Shape {
	var packed []byte
	for _, c := range commands {
		packed = protowire.AppendVarint(packed, uint64(c))
	}
	b := make([]byte, 0, len(packed)+16)
	b = protowire.AppendTag(b, featureType, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(typ))
	b = protowire.AppendTag(b, featureGeometry, protowire.BytesType)
	b = protowire.AppendBytes(b, packed)
	return Shape{encoded: b}
}

// Shapes are the outlines of a layer's areas as they lie in one tile:
// clipped to the tile and its buffer, snapped to the tile's grid, made
// valid there and encoded. They depend on the areas and the tile alone,
// not on what a tile shows of them, so one Shapes serves every choropleth
// drawn on the same areas — every indicator, group and value year on one
// boundary year — and a server can keep them (see Cache) and skip reading,
// clipping and encoding geometry for each.
type Shapes struct {
	// ByID holds the shapes by feature ID; areas with nothing left in the
	// tile are absent.
	ByID map[uint64]Shape
	// Stats is what clipping found.
	Stats Stats
}

// Size returns about how many bytes of memory the shapes hold, for a
// cache's bound.
func (s Shapes) Size() int64 {
	const perShape = 48 // map slot, slice header
	n := int64(0)
	for _, sh := range s.ByID {
		n += perShape + int64(cap(sh.encoded))
	}
	return n
}

// Union returns the shapes of s and o together. It makes a new Shapes
// (cached shapes are shared and never modified), except when s has none.
func (s Shapes) Union(o Shapes) Shapes {
	if len(s.ByID) == 0 {
		return o
	}
	out := Shapes{
		ByID:  make(map[uint64]Shape, len(s.ByID)+len(o.ByID)),
		Stats: Stats{InvalidPolygons: s.Stats.InvalidPolygons + o.Stats.InvalidPolygons},
	}
	maps.Copy(out.ByID, s.ByID)
	maps.Copy(out.ByID, o.ByID)
	return out
}

// Property is one key and value of a feature. Values are strings,
// float64, signed or unsigned integers, or bools.
type Property struct {
	Key   string
	Value any
}

// ShapedFeature is a feature drawn on a shape of the tile.
type ShapedFeature struct {
	ID         uint64
	Shape      Shape
	Properties []Property
}

// ShapedLayer is a named set of shaped features.
type ShapedLayer struct {
	Name     string
	Features []ShapedFeature
}

// Marshal returns the Mapbox Vector Tile (specification 2.1, uncompressed)
// of layers of shaped features, in their order; empty layers are left
// out. It writes the protobuf fields itself (with protowire) so that the
// shapes' geometry, encoded once, is copied rather than encoded again.
func (e Encoder) Marshal(layers ...ShapedLayer) ([]byte, error) {
	var tile, layer []byte
	for _, l := range layers {
		if len(l.Features) == 0 {
			continue
		}
		var err error
		if layer, err = e.appendLayer(layer[:0], l); err != nil {
			return nil, fmt.Errorf("tiles: layer %s: %w", l.Name, err)
		}
		tile = protowire.AppendTag(tile, tileLayers, protowire.BytesType)
		tile = protowire.AppendBytes(tile, layer)
	}
	return tile, nil
}

// appendLayer appends the fields of one layer message to b.
func (e Encoder) appendLayer(b []byte, l ShapedLayer) ([]byte, error) {
	b = protowire.AppendTag(b, layerName, protowire.BytesType)
	b = protowire.AppendString(b, l.Name)
	dict := newDictionary()
	var feature []byte
	var tags []uint32
	for _, f := range l.Features {
		tags = tags[:0]
		for _, p := range f.Properties {
			v, err := dict.value(p.Value)
			if err != nil {
				return nil, fmt.Errorf("feature %d, property %s: %w", f.ID, p.Key, err)
			}
			tags = append(tags, dict.key(p.Key), v)
		}
		feature = appendFeature(feature[:0], f, tags)
		b = protowire.AppendTag(b, layerFeatures, protowire.BytesType)
		b = protowire.AppendBytes(b, feature)
	}
	for _, k := range dict.keys {
		b = protowire.AppendTag(b, layerKeys, protowire.BytesType)
		b = protowire.AppendString(b, k)
	}
	for _, v := range dict.values {
		b = protowire.AppendTag(b, layerValues, protowire.BytesType)
		b = protowire.AppendBytes(b, v)
	}
	b = protowire.AppendTag(b, layerExtent, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(e.Extent))
	b = protowire.AppendTag(b, layerVersion, protowire.VarintType)
	return protowire.AppendVarint(b, 2), nil
}

// appendFeature appends the fields of one feature message to b: its id,
// its tags and its shape.
func appendFeature(b []byte, f ShapedFeature, tags []uint32) []byte {
	b = protowire.AppendTag(b, featureID, protowire.VarintType)
	b = protowire.AppendVarint(b, f.ID)
	if len(tags) > 0 {
		size := 0
		for _, t := range tags {
			size += protowire.SizeVarint(uint64(t))
		}
		b = protowire.AppendTag(b, featureTags, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(size))
		for _, t := range tags {
			b = protowire.AppendVarint(b, uint64(t))
		}
	}
	return append(b, f.Shape.encoded...)
}

// dictionary numbers a layer's keys and values, each distinct one once,
// as the layer's keys and values fields list them.
type dictionary struct {
	keys     []string
	keyIndex map[string]uint32
	// values are encoded Value messages.
	values     [][]byte
	valueIndex map[any]uint32
}

func newDictionary() *dictionary {
	return &dictionary{keyIndex: make(map[string]uint32), valueIndex: make(map[any]uint32)}
}

// key returns the index of key k.
func (d *dictionary) key(k string) uint32 {
	i, ok := d.keyIndex[k]
	if !ok {
		i = uint32(len(d.keys))
		d.keys = append(d.keys, k)
		d.keyIndex[k] = i
	}
	return i
}

// value returns the index of value v, or an error for a type a tile
// cannot hold.
func (d *dictionary) value(v any) (uint32, error) {
	if i, ok := d.valueIndex[v]; ok {
		return i, nil
	}
	encoded, err := encodeValue(v)
	if err != nil {
		return 0, err
	}
	i := uint32(len(d.values))
	d.values = append(d.values, encoded)
	d.valueIndex[v] = i
	return i, nil
}

// encodeValue returns the Value message of v, of the types orb's encoder
// uses for each Go type: strings, doubles, signed integers as sint,
// unsigned as uint, and bools.
func encodeValue(v any) ([]byte, error) {
	var b []byte
	switch v := v.(type) {
	case string:
		b = protowire.AppendTag(b, valueString, protowire.BytesType)
		return protowire.AppendString(b, v), nil
	case float64:
		b = protowire.AppendTag(b, valueDouble, protowire.Fixed64Type)
		return protowire.AppendFixed64(b, math.Float64bits(v)), nil
	case int:
		return appendSint(b, int64(v)), nil
	case int64:
		return appendSint(b, v), nil
	case uint64:
		b = protowire.AppendTag(b, valueUint, protowire.VarintType)
		return protowire.AppendVarint(b, v), nil
	case bool:
		b = protowire.AppendTag(b, valueBool, protowire.VarintType)
		return protowire.AppendVarint(b, protowire.EncodeBool(v)), nil
	}
	return nil, fmt.Errorf("a tile cannot hold a value of type %T", v)
}

// appendSint appends a sint Value field.
func appendSint(b []byte, v int64) []byte {
	b = protowire.AppendTag(b, valueSint, protowire.VarintType)
	return protowire.AppendVarint(b, protowire.EncodeZigZag(v))
}
