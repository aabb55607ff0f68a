// ConvertRecord CSV → Parquet in the real engine (the test kit, through parquet_convert), read back by
// DuckDB and hyparquet. The expected values are written out here from the CSV text, independently of the
// C++ side: timestamps and dates computed with JavaScript's Date, decimals as their unscaled digits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  checkSchemaWithDuckDB,
  checkValuesWithDuckDB,
  checkValuesWithHyparquet,
  openDuckDB,
  removeDir,
} from './readers.mjs';

let dir;
let db;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-parquet-convert-'));
  db = await openDuckDB();
});
after(() => removeDir(dir));

// Runs ConvertRecord on `csv` with the given service properties; returns the report and the files.
function convert(name, csv, properties) {
  const converter = process.env.PARQUET_CONVERT;
  assert.ok(converter, 'PARQUET_CONVERT must name the parquet_convert program (CTest sets it)');
  const input = join(dir, `${name}.csv`);
  const out = mkdtempSync(join(dir, `${name}-`));
  writeFileSync(input, csv);
  const args = Object.entries(properties).map(([k, v]) => `${k}=${v}`);
  const report = JSON.parse(execFileSync(converter, [input, out, ...args], { encoding: 'utf8' }));
  return { report, file: (i = 0) => join(out, `success-${i}.parquet`) };
}

// --- expected values in the readers' canonical forms ------------------------------------------------------

const days = (ymd) => String(Date.UTC(...ymd.split('-').map((v, i) => Number(v) - (i === 1 ? 1 : 0))) / 86400000);
// An instant given to the second (with its zone) plus a fraction in microseconds, in `unit`.
const instant = (iso, micros = 0, unit = 'MICROS') => {
  const us = BigInt(Date.parse(iso)) * 1000n + BigInt(micros);
  return String(unit === 'MILLIS' ? us / 1000n : us);
};
const timeOfDay = (h, m, s, micros = 0) => String(((h * 60 + m) * 60 + s) * 1e6 + micros);
const hex = (text) => Buffer.from(text, 'utf8').toString('hex');

const column = (name, physical, logical, required = false, extra = {}) => ({
  name,
  physical,
  logical,
  required,
  ...extra,
});

describe('CSV with an explicit schema: every type of the record model', () => {
  const decimal = (precision, scale) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });
  const schema = {
    type: 'record',
    name: 'reading',
    fields: [
      { name: 'meter_id', type: 'string' },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'kwh', type: ['null', decimal(12, 3)] },
      { name: 'voltage', type: ['null', 'double'] },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'tod', type: ['null', { type: 'long', logicalType: 'time-micros' }] },
      { name: 'tod_ms', type: ['null', { type: 'int', logicalType: 'time-millis' }] },
      { name: 'ok', type: ['null', 'boolean'] },
      { name: 'seq', type: 'long' },
      { name: 'small', type: 'int' },
      { name: 'big', type: ['null', decimal(25, 4)] },
      { name: 'ratio', type: ['null', 'float'] },
      { name: 'note', type: ['null', 'string'] },
      { name: 'status', type: { type: 'enum', name: 'status', symbols: ['OK', 'FAULT'] } },
      { name: 'raw', type: ['null', 'bytes'] },
    ],
  };
  const csv =
    'meter_id,at,kwh,voltage,day,tod,tod_ms,ok,seq,small,big,ratio,note,status,raw\n' +
    'M0000001,2026-11-25T10:00:00Z,1.5,230.1,2026-11-25,10:00:00,10:00:00.123,true,1,7,' +
    '12345678901234567890.1234,0.5,plain,OK,abc\n' +
    'M0000002,2026-11-25T12:15:30.123456+02:00,-0.001,,1969-12-31,23:59:59.999999,,false,' +
    '-9007199254740993,-2147483648,-0.0001,,"comma, and ""quotes""",FAULT,\n' +
    'M0000003,1970-01-01T00:00:00Z,,-1e3,2000-02-29,,00:00:00,,9223372036854775807,2147483647,' +
    `${'9'.repeat(21)}.9999,3.25,ünïcødé ✓,OK,x\n` +
    'M0000004,2026-11-25T10:00:00Z,12.3456,1,2026-11-25,,,,1,1,,,,OK,\n' +
    'M0000005,1969-12-31T23:59:59.999999Z,,,1970-01-01,,,,0,0,,,,FAULT,\n';
  const expected = {
    name: 'explicit',
    columns: [
      column('meter_id', 'BYTE_ARRAY', { kind: 'STRING' }, true),
      column('at', 'INT64', { kind: 'TIMESTAMP', unit: 'MICROS', utc: true }, true),
      column('kwh', 'INT64', { kind: 'DECIMAL', precision: 12, scale: 3 }),
      column('voltage', 'DOUBLE', null),
      column('day', 'INT32', { kind: 'DATE' }, true),
      column('tod', 'INT64', { kind: 'TIME', unit: 'MICROS', utc: false }),
      column('tod_ms', 'INT32', { kind: 'TIME', unit: 'MILLIS', utc: false }),
      column('ok', 'BOOLEAN', null),
      column('seq', 'INT64', null, true),
      column('small', 'INT32', null, true),
      column('big', 'FIXED_LEN_BYTE_ARRAY', { kind: 'DECIMAL', precision: 25, scale: 4 }, false, {
        type_length: 11,
      }),
      column('ratio', 'FLOAT', null),
      column('note', 'BYTE_ARRAY', { kind: 'STRING' }),
      column('status', 'BYTE_ARRAY', { kind: 'ENUM' }, true),
      column('raw', 'BYTE_ARRAY', null),
    ],
    rows: [
      ['M0000001', instant('2026-11-25T10:00:00Z'), '1500', '230.1', days('2026-11-25'), timeOfDay(10, 0, 0),
        String(Number(timeOfDay(10, 0, 0, 123000)) / 1000), true, '1', '7', '123456789012345678901234', '0.5', 'plain',
        'OK', hex('abc')],
      ['M0000002', instant('2026-11-25T12:15:30+02:00', 123456), '-1', null, days('1969-12-31'),
        timeOfDay(23, 59, 59, 999999), null, false, '-9007199254740993', '-2147483648', '-1', null,
        'comma, and "quotes"', 'FAULT', null],
      ['M0000003', instant('1970-01-01T00:00:00Z'), null, '-1000', days('2000-02-29'), null, '0', null,
        '9223372036854775807', '2147483647', '9'.repeat(25), '3.25', 'ünïcødé ✓', 'OK', hex('x')],
      ['M0000005', instant('1969-12-31T23:59:59Z', 999999), null, null, days('1970-01-01'), null, null, null,
        '0', '0', null, null, null, 'FAULT', null],
    ],
  };
  let run;
  before(() => {
    run = convert('explicit', csv, { 'csv.schema': JSON.stringify(schema) });
  });

  test('good records to success as one Parquet file; the bad one to failure with its position', () => {
    assert.equal(run.report.success.length, 1);
    assert.equal(run.report.success[0]['record.count'], '4');
    assert.equal(run.report.success[0]['mime.type'], 'application/vnd.apache.parquet');
    assert.equal(run.report.failure.length, 1);
    const bad = run.report.failure[0];
    assert.equal(bad['record.count'], '1');
    assert.match(bad['record.error'], /^line 5, .*\(record 4\): .*kwh.*12\.3456/);
    assert.match(bad.content, /^meter_id,.*\nM0000004,/);
  });
  test('DuckDB reads every value and the schema', async () => {
    await checkValuesWithDuckDB(db, run.file(), expected);
    await checkSchemaWithDuckDB(db, run.file(), expected);
  });
  test('hyparquet reads every value', async () => {
    await checkValuesWithHyparquet(run.file(), expected);
  });
  test('DuckDB types: instants with time zone, local times, exact decimals', async () => {
    const rows = await db.rows(`DESCRIBE SELECT * FROM '${run.file()}'`);
    const types = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
    assert.equal(types.at, 'TIMESTAMP WITH TIME ZONE');
    assert.equal(types.tod, 'TIME');
    assert.equal(types.kwh, 'DECIMAL(12,3)');
    assert.equal(types.big, 'DECIMAL(25,4)');
    assert.equal(types.day, 'DATE');
  });
});

// Smart-meter rows as the benchmark generates them, schema inferred from the CSV.
function meterCsv(rows) {
  let csv = 'meter_id,event_time,kwh,voltage,current,status,note\n';
  const expectedRows = [];
  for (let i = 0; i < rows; i++) {
    const meter = `M${String(i % 37).padStart(7, '0')}`;
    const seconds = 1764064800 + i * 15;
    const at = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    const kwh = (i * 0.25) % 97;
    const voltage = i % 11 === 0 ? '' : String(220 + (i % 20));
    const current = i % 5;
    const status = i % 13 === 0 ? 'FAULT' : 'OK';
    const note = i % 7 === 0 ? '' : `reading ${i}, "checked"`;
    csv += `${meter},${at},${kwh},${voltage},${current},${status},${note === '' ? '' : `"${note.replaceAll('"', '""')}"`}\n`;
    expectedRows.push([
      meter,
      null, // filled per unit below
      String(kwh),
      voltage === '' ? null : String(Number(voltage)),
      String(current),
      status,
      note === '' ? null : note,
    ]);
    expectedRows[i].at = seconds;
  }
  return { csv, expectedRows };
}

describe('CSV with an inferred schema, per codec, unit and dictionary setting, in several row groups', () => {
  const { csv, expectedRows } = meterCsv(3000);
  const settings = [
    { name: 'snappy_default', props: {}, codec: 'SNAPPY', unit: 'MICROS' },
    {
      name: 'zstd_millis',
      props: { 'parquet.compression': 'zstd', 'parquet.timestamp_unit': 'millis', 'parquet.row_group_size': '16 KiB' },
      codec: 'ZSTD',
      unit: 'MILLIS',
    },
    {
      name: 'gzip_plain',
      props: { 'parquet.compression': 'gzip', 'parquet.dictionary': 'false', 'parquet.page_size': '4 KiB' },
      codec: 'GZIP',
      unit: 'MICROS',
      plain: true,
    },
    { name: 'none', props: { 'parquet.compression': 'none' }, codec: 'UNCOMPRESSED', unit: 'MICROS' },
  ];
  for (const s of settings) {
    test(`${s.name}: every value, with DuckDB and hyparquet`, async () => {
      const run = convert(s.name, csv, s.props);
      assert.equal(run.report.failure.length, 0, JSON.stringify(run.report.failure));
      assert.equal(run.report.success[0]['record.count'], '3000');
      // Inference: long → INT64, double → DOUBLE, ISO 8601 → TIMESTAMP, text → STRING; all nullable.
      const expected = {
        name: s.name,
        columns: [
          column('meter_id', 'BYTE_ARRAY', { kind: 'STRING' }),
          column('event_time', 'INT64', { kind: 'TIMESTAMP', unit: s.unit, utc: true }),
          column('kwh', 'DOUBLE', null),
          column('voltage', 'INT64', null),
          column('current', 'INT64', null),
          column('status', 'BYTE_ARRAY', { kind: 'STRING' }),
          column('note', 'BYTE_ARRAY', { kind: 'STRING' }),
        ],
        rows: expectedRows.map((r) => {
          const row = [...r];
          row[1] = String(BigInt(r.at) * (s.unit === 'MILLIS' ? 1000n : 1000000n));
          return row;
        }),
      };
      await checkValuesWithDuckDB(db, run.file(), expected);
      await checkSchemaWithDuckDB(db, run.file(), expected);
      await checkValuesWithHyparquet(run.file(), expected);
      const meta = await db.rows(`SELECT * FROM parquet_metadata('${run.file()}')`);
      assert.ok(meta.every((m) => m.compression === s.codec), s.codec);
      if (s.plain) assert.ok(meta.every((m) => m.dictionary_page_offset === null));
      else assert.ok(meta.some((m) => m.dictionary_page_offset !== null));
      const groups = new Set(meta.map((m) => m.row_group_id)).size;
      if (s.props['parquet.row_group_size']) assert.ok(groups > 1, `${groups} row groups`);
    });
  }
});
