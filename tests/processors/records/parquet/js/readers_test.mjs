// The fixed Parquet cases (fixture_cases.cpp), each read back by DuckDB and hyparquet with every value,
// the schema and the footer metadata compared with what the writer was given.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import {
  checkSchemaWithDuckDB,
  checkValuesWithDuckDB,
  checkValuesWithHyparquet,
  openDuckDB,
  readExpected,
  removeDir,
  writeCases,
} from './readers.mjs';
import { checkMetadataWithDuckDB } from './stats.mjs';

const cases = [
  'all_types_uncompressed',
  'all_types_snappy',
  'all_types_gzip',
  'all_types_zstd',
  'nulls',
  'dictionary_fallback',
  'multiple_row_groups',
  'no_dictionary',
  'empty',
  'meter',
  'cancelled_and_refused',
];

let dir;
let db;
before(async () => {
  dir = writeCases([]);
  db = await openDuckDB();
});
after(() => removeDir(dir));

const file = (name) => join(dir, `${name}.parquet`);

describe('every value read back', () => {
  for (const name of cases) {
    test(`${name}: DuckDB`, async () => {
      const expected = readExpected(dir, name);
      await checkValuesWithDuckDB(db, file(name), expected);
      await checkSchemaWithDuckDB(db, file(name), expected);
      await checkMetadataWithDuckDB(db, file(name), expected, { codec: expected.codec });
    });
    test(`${name}: hyparquet`, async () => {
      await checkValuesWithHyparquet(file(name), readExpected(dir, name));
    });
  }
});

describe('what the cases are for', () => {
  const chunks = async (name) =>
    db.rows(`SELECT * FROM parquet_metadata('${file(name)}') ORDER BY row_group_id, column_id`);

  test('every codec is the one asked for', async () => {
    for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']) {
      const meta = await chunks(`all_types_${codec.toLowerCase()}`);
      assert.ok(meta.every((m) => m.compression === codec), codec);
    }
  });

  test('dictionary columns use dictionary pages; the fallback chunk mixes them with PLAIN pages', async () => {
    const all = await chunks('all_types_snappy');
    const string = all.find((m) => m.path_in_schema === 'string');
    assert.ok(string.dictionary_page_offset !== null, 'a dictionary page');
    assert.match(string.encodings, /RLE_DICTIONARY/);
    const fallback = await chunks('dictionary_fallback');
    const label = fallback.find((m) => m.path_in_schema === 'label' && m.row_group_id === 0n);
    assert.ok(label.dictionary_page_offset !== null);
    assert.match(label.encodings, /RLE_DICTIONARY/);
    assert.match(label.encodings, /PLAIN/);
    // Once fallen back, the column stays PLAIN: later row groups have no dictionary.
    const later = fallback.filter((m) => m.path_in_schema === 'label' && m.row_group_id > 0n);
    assert.ok(later.length > 0 && later.every((m) => m.dictionary_page_offset === null));
  });

  test('with the dictionary off no chunk has a dictionary page', async () => {
    const meta = await chunks('no_dictionary');
    assert.ok(meta.every((m) => m.dictionary_page_offset === null && !/DICTIONARY/.test(m.encodings)));
  });

  test('row groups close at the size asked for, and on request', async () => {
    const expected = readExpected(dir, 'multiple_row_groups');
    assert.ok(expected.row_groups >= 5, `${expected.row_groups} row groups`);
    // flush_row_group after row 100: a row group ends there whatever its size.
    const meta = await chunks('multiple_row_groups');
    const ends = [];
    let rows = 0;
    for (const m of meta.filter((m) => m.column_id === 0n)) ends.push((rows += Number(m.row_group_num_rows)));
    assert.ok(ends.includes(101), `row groups end at ${ends}`);
  });

  test('an empty file has a schema and no rows', async () => {
    const [{ n }] = await db.rows(`SELECT count(*) AS n FROM '${file('empty')}'`);
    assert.equal(n, 0n);
    assert.equal(readExpected(dir, 'empty').row_groups, 0);
  });

  test('key-value metadata reaches the footer', async () => {
    const kv = await db.rows(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file('meter')}') ORDER BY k`,
    );
    assert.deepEqual(kv, [
      { k: 'site', v: 'north' },
      { k: 'source', v: 'sluice fixtures' },
    ]);
  });

  test('DuckDB types follow the logical types', async () => {
    const rows = await db.rows(`DESCRIBE SELECT * FROM '${file('all_types_zstd')}'`);
    const types = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
    assert.equal(types.string, 'VARCHAR');
    assert.equal(types.int8, 'TINYINT');
    assert.equal(types.uint16, 'USMALLINT');
    assert.equal(types.uint64, 'UBIGINT');
    assert.equal(types.date, 'DATE');
    assert.equal(types.ts_us_utc, 'TIMESTAMP WITH TIME ZONE');
    assert.equal(types.ts_us_local, 'TIMESTAMP');
    assert.equal(types.ts_ns_local, 'TIMESTAMP_NS');
    assert.equal(types.ts_ns_utc, 'TIMESTAMP WITH TIME ZONE');
    assert.equal(types.dec_fixed16, 'DECIMAL(38,10)');
    assert.equal(types.uuid, 'UUID');
  });
});
