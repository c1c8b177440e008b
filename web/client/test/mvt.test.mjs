// Checks the server's tiles against the Mapbox Vector Tile specification 2.1
// with decoders that share no code with the Go encoder: pbf for the raw
// protobuf (and a geometry decoder written here from the spec), and
// @mapbox/vector-tile as a second, reference reading.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { getJSON, startServer, tileOf, tilesCovering } from './server.mjs';

const QUERY = 'indicator=pct_bijstand&group=totaal';
const UTRECHT = { lon: 5.12, lat: 52.09 };
// Netherlands, [west, south, east, north].
const NL_BBOX = [3.36, 50.75, 7.23, 53.55];
const STATUSES = new Set(['ok', 'suppressed', 'no_data', 'no_residents']);
const PROVENANCES = new Set(['cbs', 'demo']);
const PROPERTIES = new Set(['level', 'code', 'name', 'gemeente_code', 'gemeente_name', 'status', 'value', 'numerator', 'denominator', 'nl_value', 'provenance']);
const NUMBERS_OF_OK = ['value', 'numerator', 'denominator'];
// The spec leaves the buffer to the encoder; 256 units (1/16 of a 4096 tile)
// is more than any sensible buffer, and far less than a wrong transform.
const MAX_BUFFER = 256;
const MAX_Z6_BYTES = 500 * 1024;

// ---- raw protobuf reading (vector_tile.proto, spec 4.1) ----

function readValue(pbf) {
  const end = pbf.readVarint() + pbf.pos;
  let value;
  let kinds = 0;
  while (pbf.pos < end) {
    const tag = pbf.readVarint() >> 3;
    kinds++;
    switch (tag) {
      case 1: value = pbf.readString(); break;
      case 2: value = pbf.readFloat(); break;
      case 3: value = pbf.readDouble(); break;
      case 4: value = pbf.readVarint64(); break;
      case 5: value = pbf.readVarint(); break;
      case 6: value = pbf.readSVarint(); break;
      case 7: value = pbf.readBoolean(); break;
      default: throw new Error(`value message has unknown field ${tag}`);
    }
  }
  // Spec 4.1: "Exactly one of these values MUST be present in a valid message."
  if (kinds !== 1) throw new Error(`value message has ${kinds} values, want exactly 1`);
  return value;
}

function readFeature(pbf) {
  return pbf.readMessage(
    (tag, f, p) => {
      if (tag === 1) f.id = p.readVarint(true);
      else if (tag === 2) f.tags = p.readPackedVarint();
      else if (tag === 3) f.type = p.readVarint();
      else if (tag === 4) f.geometry = p.readPackedVarint();
    },
    { id: undefined, tags: [], type: 0, geometry: [] },
  );
}

function readLayer(pbf) {
  return pbf.readMessage(
    (tag, l, p) => {
      if (tag === 15) l.version = p.readVarint();
      else if (tag === 1) l.name = p.readString();
      else if (tag === 2) l.features.push(readFeature(p));
      else if (tag === 3) l.keys.push(p.readString());
      else if (tag === 4) l.values.push(readValue(p));
      else if (tag === 5) l.extent = p.readVarint();
    },
    // Spec 4.1: version and extent default to 1 and 4096 when absent.
    { version: 1, name: undefined, features: [], keys: [], values: [], extent: 4096 },
  );
}

function readTile(buf) {
  return new Pbf(buf).readFields(
    (tag, t, p) => {
      if (tag === 3) t.layers.push(readLayer(p));
    },
    { layers: [] },
  );
}

// ---- geometry (spec 4.3) ----

const zigzag = (n) => (n >> 1) ^ -(n & 1);

/**
 * Decodes a polygon's command integers into rings, asserting the command
 * grammar of spec 4.3.4.4: each ring is MoveTo(1), LineTo(n ≥ 2), ClosePath(1),
 * with the parameters the counts call for and no zero-length LineTo.
 */
function decodePolygonRings(geom, where) {
  const rings = [];
  let i = 0;
  let cx = 0;
  let cy = 0;
  const command = (want, label) => {
    assert.ok(i < geom.length, `${where}: geometry ends where a ${label} command was expected`);
    const c = geom[i++];
    const id = c & 0x7;
    const count = c >>> 3;
    assert.equal(id, want, `${where}: command ${i - 1} has id ${id}, want ${label} (${want})`);
    return count;
  };
  const params = (n, label) => {
    assert.ok(i + 2 * n <= geom.length, `${where}: ${label} with count ${n} needs ${2 * n} parameters, only ${geom.length - i} left`);
    const pts = [];
    for (let k = 0; k < n; k++) {
      const dx = zigzag(geom[i++]);
      const dy = zigzag(geom[i++]);
      if (label === 'LineTo') assert.ok(dx !== 0 || dy !== 0, `${where}: LineTo with zero-length step (spec 4.3.3.2)`);
      cx += dx;
      cy += dy;
      pts.push([cx, cy]);
    }
    return pts;
  };
  while (i < geom.length) {
    const r = rings.length;
    assert.equal(command(1, 'MoveTo'), 1, `${where}: ring ${r}: MoveTo count must be 1`);
    const ring = params(1, 'MoveTo');
    const n = command(2, 'LineTo');
    assert.ok(n >= 2, `${where}: ring ${r}: LineTo count ${n}, want at least 2`);
    ring.push(...params(n, 'LineTo'));
    assert.equal(command(7, 'ClosePath'), 1, `${where}: ring ${r}: ClosePath count must be 1`);
    rings.push(ring);
  }
  assert.ok(rings.length > 0, `${where}: polygon without rings`);
  return rings;
}

/** Surveyor's formula in tile coordinates (y down): positive for an exterior ring. */
function signedArea(ring) {
  let a = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x1, y1] = ring[k];
    const [x2, y2] = ring[(k + 1) % ring.length];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

const orient = (a, b, c) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
const onSegment = (a, b, p) => Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

/**
 * How segments ab and cd meet: 'cross' when they cross at a point inside
 * both, 'overlap' when they share a stretch of positive length, 'touch' (at
 * a point) when an end point of one lies on the other, null when they do not
 * meet.
 */
function segmentsMeet(a, b, c, d) {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 * o2 < 0 && o3 * o4 < 0) return { how: 'cross' };
  if (o1 === 0 && o2 === 0) {
    // Collinear: project on the longer axis and compare the intervals.
    const k = Math.abs(b[0] - a[0]) >= Math.abs(b[1] - a[1]) ? 0 : 1;
    const lo = Math.max(Math.min(a[k], b[k]), Math.min(c[k], d[k]));
    const hi = Math.min(Math.max(a[k], b[k]), Math.max(c[k], d[k]));
    if (hi > lo) return { how: 'overlap' };
    if (hi === lo) return { how: 'touch', at: [a, b, c, d].find((p) => p[k] === lo) };
    return null;
  }
  if (o1 === 0 && onSegment(a, b, c)) return { how: 'touch', at: c };
  if (o2 === 0 && onSegment(a, b, d)) return { how: 'touch', at: d };
  if (o3 === 0 && onSegment(c, d, a)) return { how: 'touch', at: a };
  if (o4 === 0 && onSegment(c, d, b)) return { how: 'touch', at: b };
  return null;
}

/**
 * Checks a closed ring against itself, O(n²). Segments that are not
 * neighbours may not cross or overlap, and neighbours may not fold back
 * over each other: those are self-intersections. A point where the ring
 * touches itself (self-tangency, which spec 4.3.4.4 names apart from
 * self-intersection) is counted, not failed; so are fold-backs and overlaps
 * that lie wholly in the buffer beside the drawn extent. Returns
 * {intersection: description or null, touches: count}.
 */
function selfIntersection(ring, extent) {
  const pts = ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1] ? ring.slice(0, -1) : ring;
  const n = pts.length;
  const seg = (k) => [pts[k], pts[(k + 1) % n]];
  // Points all in one strip of the buffer, beside the drawn extent: clipping
  // leaves degenerate edges along the buffer's border there, which are never drawn.
  const inOneBufferStrip = (...ps) =>
    ps.every(([x]) => x < 0) || ps.every(([x]) => x > extent) || ps.every(([, y]) => y < 0) || ps.every(([, y]) => y > extent);
  let touches = 0;
  for (let p = 0; p < n; p++) {
    const [a, b] = seg(p);
    for (let q = p + 1; q < n; q++) {
      const [c, d] = seg(q);
      if (q === p + 1 || (p === 0 && q === n - 1)) {
        // Neighbours: shared point s, other ends u and v; collinear with u and v on the same side folds back.
        const [u, s, v] = q === p + 1 ? [a, b, d] : [b, a, c];
        const dot = (u[0] - s[0]) * (v[0] - s[0]) + (u[1] - s[1]) * (v[1] - s[1]);
        if (orient(u, s, v) === 0 && dot > 0 && !inOneBufferStrip(u, s, v)) return { intersection: `segments ${p} and ${q} fold back over each other at ${s}`, touches };
        continue;
      }
      const meet = segmentsMeet(a, b, c, d);
      if (!meet) continue;
      if (meet.how === 'touch' || (meet.how === 'overlap' && inOneBufferStrip(a, b, c, d))) {
        touches++;
        continue;
      }
      return { intersection: `segments ${p} ${JSON.stringify([a, b])} and ${q} ${JSON.stringify([c, d])} ${meet.how}`, touches };
    }
  }
  return { intersection: null, touches };
}

// ---- the checks ----

async function fetchTile(base, level, { z, x, y }, query = QUERY) {
  const res = await fetch(`${base}/tiles/${level}/${z}/${x}/${y}.mvt?${query}`);
  const buf = new Uint8Array(await res.arrayBuffer());
  assert.equal(res.status, 200, `tile ${level}/${z}/${x}/${y}: status ${res.status}: ${new TextDecoder().decode(buf.slice(0, 300))}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/(vnd\.mapbox-vector-tile|x-protobuf)/, `tile ${level}/${z}/${x}/${y}: content type`);
  return buf;
}

/**
 * Decodes a tile twice (raw pbf here, @mapbox/vector-tile as reference),
 * checks it against the spec and returns its features with properties.
 */
function checkTile(buf, level, addr, stats = { touches: 0 }, { geometry = true } = {}) {
  const where0 = `${level}/${addr.z}/${addr.x}/${addr.y}`;
  const tile = readTile(buf);
  // A tile with nothing in it may leave its layer out.
  if (tile.layers.length === 0) return [];
  assert.equal(tile.layers.length, 1, `${where0}: want exactly one layer, got ${tile.layers.map((l) => l.name)}`);
  const layer = tile.layers[0];
  assert.equal(layer.name, level, `${where0}: layer name`);
  assert.equal(layer.version, 2, `${where0}: layer version`);
  assert.equal(layer.extent, 4096, `${where0}: layer extent`);
  assert.equal(new Set(layer.keys).size, layer.keys.length, `${where0}: keys must be unique (spec 4.1)`);

  const reference = new VectorTile(new Pbf(buf));
  assert.deepEqual(Object.keys(reference.layers), [level], `${where0}: @mapbox/vector-tile layers`);
  const refLayer = reference.layers[level];
  assert.equal(refLayer.length, layer.features.length, `${where0}: feature count per @mapbox/vector-tile`);

  const ext = layer.extent;
  const ids = new Set();
  const features = [];
  layer.features.forEach((f, idx) => {
    const where = `${where0} feature ${idx} (id ${f.id})`;
    assert.equal(f.type, 3, `${where}: type must be POLYGON (3)`);
    assert.equal(typeof f.id, 'number', `${where}: must have a numeric id`);
    assert.ok(Number.isSafeInteger(f.id), `${where}: id must be an exact integer in JavaScript`);
    assert.ok(!ids.has(f.id), `${where}: duplicate id`);
    ids.add(f.id);

    assert.equal(f.tags.length % 2, 0, `${where}: tags must come in key/value pairs`);
    const props = {};
    for (let t = 0; t < f.tags.length; t += 2) {
      const key = layer.keys[f.tags[t]];
      assert.ok(key !== undefined, `${where}: tag key index ${f.tags[t]} out of range`);
      assert.ok(f.tags[t + 1] < layer.values.length, `${where}: tag value index ${f.tags[t + 1]} out of range`);
      assert.ok(!(key in props), `${where}: property ${key} twice`);
      props[key] = layer.values[f.tags[t + 1]];
    }
    checkProperties(props, level, where);
    const tag = { GM: 1, WK: 2, BU: 3 }[props.code.slice(0, 2)];
    assert.equal(f.id, Number.parseInt(props.code.slice(2), 36) * 4 + tag, `${where}: id must be the base-36 number of the code after its prefix, times 4, plus the level (catalog.FeatureID)`);

    const ref = refLayer.feature(idx);
    assert.equal(ref.id, f.id, `${where}: id per @mapbox/vector-tile`);
    assert.deepEqual({ ...ref.properties }, props, `${where}: properties per @mapbox/vector-tile`);

    const rings = decodePolygonRings(f.geometry, where);
    if (geometry) checkRings(rings, ext, where, stats);
    // The reference decoder must agree on ring structure.
    assert.equal(ref.loadGeometry().length, rings.length, `${where}: ring count per @mapbox/vector-tile`);
    features.push({ id: f.id, properties: props, rings });
  });
  return features;
}

/** Checks the rings of one polygon feature (spec 4.3.4.4). */
function checkRings(rings, ext, where, stats) {
  rings.forEach((ring, r) => {
    for (const [x, y] of ring) {
      assert.ok(x >= -MAX_BUFFER && x <= ext + MAX_BUFFER && y >= -MAX_BUFFER && y <= ext + MAX_BUFFER, `${where} ring ${r}: point ${x},${y} outside the extent ± ${MAX_BUFFER}`);
    }
    const area = signedArea(ring);
    assert.notEqual(area, 0, `${where} ring ${r}: zero area`);
    if (r === 0) assert.ok(area > 0, `${where}: first ring must be exterior (positive area in tile coordinates), got ${area}`);
    const { intersection, touches } = selfIntersection(ring, ext);
    assert.equal(intersection, null, `${where} ring ${r} (${ring.length} points) intersects itself: ${intersection}`);
    stats.touches += touches;
  });
}

function checkProperties(props, level, where) {
  for (const k of Object.keys(props)) assert.ok(PROPERTIES.has(k), `${where}: unexpected property ${k}`);
  for (const k of ['code', 'name', 'gemeente_code', 'gemeente_name', 'status', 'provenance']) {
    assert.equal(typeof props[k], 'string', `${where}: property ${k} must be a string, got ${JSON.stringify(props[k])}`);
  }
  // The auto layer mixes wijken and buurten; every other layer is one level.
  const featureLevel = level === 'auto' ? props.level : level;
  assert.ok(level === 'auto' ? ['wijk', 'buurt'].includes(props.level) : props.level === level, `${where}: level ${props.level} in layer ${level}`);
  const prefix = { gemeente: 'GM', wijk: 'WK', buurt: 'BU' }[featureLevel];
  assert.ok(props.code.startsWith(prefix), `${where}: code ${props.code} must start with ${prefix}`);
  assert.match(props.gemeente_code, /^GM/, `${where}: gemeente_code`);
  if (featureLevel === 'wijk') assert.equal(props.gemeente_code, `GM${props.code.slice(2, 6)}`, `${where}: gemeente_code must be the gemeente the wijk code lies in`);
  assert.ok(props.name.length > 0, `${where}: empty name`);
  assert.ok(STATUSES.has(props.status), `${where}: status ${props.status}`);
  assert.ok(PROVENANCES.has(props.provenance), `${where}: provenance ${props.provenance}`);
  if (props.status === 'ok') {
    assert.equal(typeof props.value, 'number', `${where}: status ok needs a numeric value`);
    assert.ok(Number.isFinite(props.value), `${where}: value must be finite`);
  } else {
    // Disclosure control: nothing of a suppressed or missing value leaves the server.
    for (const k of NUMBERS_OF_OK) assert.ok(!(k in props), `${where}: status ${props.status} must not carry ${k} (got ${props[k]})`);
  }
  for (const k of [...NUMBERS_OF_OK, 'nl_value']) {
    if (k in props) assert.ok(typeof props[k] === 'number' && Number.isFinite(props[k]), `${where}: ${k} must be a finite number`);
  }
}

describe('vector tiles (MVT spec 2.1)', { timeout: 300_000 }, () => {
  let server;
  // The zoom range of each level, from its TileJSON.
  const zoomsOf = {};
  before(async () => {
    server = await startServer();
    for (const level of ['gemeente', 'wijk', 'buurt', 'auto']) {
      const { res, body } = await getJSON(`${server.url}/tiles/${level}.json?${QUERY}`);
      assert.equal(res.status, 200, `TileJSON ${level}: ${JSON.stringify(body)}`);
      zoomsOf[level] = { min: body.minzoom, max: body.maxzoom };
    }
  });
  after(async () => server?.stop());

  test('the ten Utrecht wijken are in the z12 tiles over Utrecht, with names and statuses', async () => {
    const { body } = await getJSON(`${server.url}/api/areas?level=gemeente&q=Utrecht`);
    const utrecht = (body.areas ?? []).find((a) => a.code === 'GM0344');
    assert.ok(utrecht, `GM0344 not found by /api/areas?level=gemeente&q=Utrecht: ${JSON.stringify(body).slice(0, 300)}`);
    const center = tileOf(UTRECHT.lon, UTRECHT.lat, 12);
    const addrs = tilesCovering(utrecht.bbox, 12);
    assert.ok(addrs.some((a) => a.x === center.x && a.y === center.y), 'the tile of Utrecht centre lies in its bbox');
    const wijken = new Map();
    for (const addr of addrs) {
      for (const f of checkTile(await fetchTile(server.url, 'wijk', addr), 'wijk', addr)) {
        if (f.properties.gemeente_code === 'GM0344') wijken.set(f.properties.code, f.properties);
      }
    }
    const codes = [...wijken.keys()].sort();
    assert.equal(codes.length, 10, `Utrecht wijken: ${codes}`);
    for (const [code, p] of wijken) {
      assert.match(code, /^WK0344\d\d$/);
      assert.ok(p.name.length > 0, `${code} has a name`);
      assert.equal(p.gemeente_name, 'Utrecht', `${code} gemeente_name`);
    }
  });

  for (const level of ['wijk', 'gemeente', 'buurt', 'auto']) {
    for (const z of [6, 10, 12]) {
      test(`${level} tiles at z${z} over the Netherlands are valid`, async (t) => {
        const zooms = zoomsOf[level];
        if (z < zooms.min || z > zooms.max) {
          // Outside the TileJSON zoom range the server must refuse, not send an empty tile.
          const res = await fetch(`${server.url}/tiles/${level}/${z}/0/0.mvt?${QUERY}`);
          assert.ok(res.status === 400 || res.status === 404, `z${z} outside ${zooms.min}..${zooms.max}: status ${res.status}`);
          return;
        }
        const addrs = z === 6 ? tilesCovering(NL_BBOX, 6) : [tileOf(UTRECHT.lon, UTRECHT.lat, z)];
        const bufs = [];
        for (const addr of addrs) bufs.push(await fetchTile(server.url, level, addr));
        const largest = Math.max(...bufs.map((b) => b.length));
        t.diagnostic(`${level} z${z}: ${addrs.length} tile(s), largest ${largest} bytes`);
        if (z === 6) assert.ok(largest < MAX_Z6_BYTES, `${level} z6 tiles over NL: largest is ${largest} bytes, want < ${MAX_Z6_BYTES}`);
        let features = 0;
        let suppressed = 0;
        const stats = { touches: 0 };
        bufs.forEach((buf, i) => {
          const fs = checkTile(buf, level, addrs[i], stats);
          features += fs.length;
          suppressed += fs.filter((f) => f.properties.status === 'suppressed').length;
        });
        assert.ok(features > 0, `${level} z${z}: no features in ${JSON.stringify(addrs)}`);
        t.diagnostic(`${level} z${z}: ${features} features, ${suppressed} suppressed, ${stats.touches} ring self-touches`);
      });
    }
  }

  test('suppressed wijken carry no numbers for a small herkomstgroep (properties only)', async () => {
    // A small group in the whole country makes suppressed wijken certain.
    const query = 'indicator=pct_bijstand&group=eritrea';
    let suppressed = 0;
    for (const addr of tilesCovering(NL_BBOX, 8).filter((_, i) => i % 3 === 0)) {
      if (addr.z < zoomsOf.wijk.min || addr.z > zoomsOf.wijk.max) break;
      for (const f of checkTile(await fetchTile(server.url, 'wijk', addr, query), 'wijk', addr, undefined, { geometry: false })) {
        if (f.properties.status === 'suppressed') suppressed++;
      }
    }
    assert.ok(suppressed > 0, 'expected suppressed wijken for group eritrea');
  });

  describe('bad tile requests get 400 or 404 with a JSON error naming the problem', () => {
    const cases = [
      ['unknown level', `/tiles/nope/1/0/0.mvt?${QUERY}`, /nope|level/i],
      ['zoom out of range', `/tiles/wijk/31/0/0.mvt?${QUERY}`, /31|zoom|\bz\b/i],
      ['x beyond 2^z', `/tiles/wijk/3/8/0.mvt?${QUERY}`, /\b8\b|\bx\b|tile/i],
      ['y beyond 2^z', `/tiles/wijk/3/0/8.mvt?${QUERY}`, /\b8\b|\by\b|tile/i],
      ['non-numeric zoom', `/tiles/wijk/a/1/1.mvt?${QUERY}`, /\ba\b|zoom|\bz\b|number|tile/i],
      ['non-numeric x', `/tiles/wijk/4/x1/1.mvt?${QUERY}`, /x1|\bx\b|number|tile/i],
      ['negative y', `/tiles/wijk/4/1/-1.mvt?${QUERY}`, /-1|\by\b|number|tile/i],
      ['unknown indicator', '/tiles/wijk/10/526/336.mvt?indicator=nope&group=totaal', /nope|indicator/i],
      ['unknown group', '/tiles/wijk/10/526/336.mvt?indicator=pct_bijstand&group=nope', /nope|group|herkomst/i],
      ['unknown year', '/tiles/wijk/10/526/336.mvt?indicator=pct_bijstand&group=totaal&year=1900', /1900|year|jaar/i],
      ['non-numeric year', '/tiles/wijk/10/526/336.mvt?indicator=pct_bijstand&group=totaal&year=abc', /abc|year|jaar/i],
    ];
    for (const [name, path, names] of cases) {
      test(name, async () => {
        const res = await fetch(server.url + path);
        const text = await res.text();
        assert.ok(res.status === 400 || res.status === 404, `${path}: status ${res.status}, want 400 or 404`);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${path}: content type`);
        let body;
        assert.doesNotThrow(() => (body = JSON.parse(text)), `${path}: body is not JSON: ${text.slice(0, 200)}`);
        assert.equal(typeof body.error, 'string', `${path}: body has no "error" string: ${text.slice(0, 200)}`);
        assert.match(body.error, names, `${path}: error "${body.error}" does not name the problem`);
      });
    }
  });
});

