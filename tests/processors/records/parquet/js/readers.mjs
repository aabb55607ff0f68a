// Reading sluice's Parquet files back with two independent readers — DuckDB (C++, through @duckdb/node-api)
// and hyparquet (pure JavaScript) — and comparing every value with what the writer was given
// (NAME.json, written next to NAME.parquet by parquet_fixture_writer).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

// Runs the C++ fixture writer into a fresh directory; returns it (the caller removes it).
export function writeCases(args) {
  const writer = process.env.PARQUET_FIXTURE_WRITER;
  assert.ok(writer, 'PARQUET_FIXTURE_WRITER must name the parquet_fixture_writer program (CTest sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-parquet-'));
  execFileSync(writer, [dir, ...args], { stdio: 'inherit' });
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export function readExpected(dir, name) {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
}

export async function openDuckDB() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    async rows(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS();
    },
  };
}

const quote = (name) => `"${name.replaceAll('"', '""')}"`;
const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

function logicalKind(column) {
  return column.logical ? column.logical.kind : 'NONE';
}

// --- canonical forms: each reader's value and the expected value become the same string -----------------

function formatDecimal(unscaled, scale) {
  const negative = unscaled.startsWith('-');
  let digits = negative ? unscaled.slice(1) : unscaled;
  if (scale === 0) return (negative && digits !== '0' ? '-' : '') + digits;
  digits = digits.padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function uuidText(hex) {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseNumber(text) {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === '-0') return -0;
  return Number(text);
}

function sameNumber(actual, expected) {
  if (typeof actual !== 'number') return false;
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Object.is(actual, expected);
}

function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const unitScale = { MILLIS: 1000n, MICROS: 1n, NANOS: 1n };

// The SQL that makes DuckDB show a column in the canonical form, and the expected value in that form.
function duckdbColumn(column) {
  const name = quote(column.name);
  const kind = logicalKind(column);
  switch (kind) {
    case 'DATE':
      return { sql: `CAST(date_diff('day', DATE '1970-01-01', ${name}) AS VARCHAR)`, expect: (v) => v };
    case 'TIMESTAMP':
      if (column.logical.unit === 'NANOS') {
        // DuckDB has nanoseconds only for local timestamps (TIMESTAMP_NS); a UTC-adjusted one becomes a
        // TIMESTAMP WITH TIME ZONE in microseconds, truncated toward zero.
        const expect = column.logical.utc ? (v) => ((BigInt(v) / 1000n) * 1000n).toString() : (v) => v;
        return { sql: `CAST(epoch_ns(${name}) AS VARCHAR)`, expect };
      }
      return {
        sql: `CAST(epoch_us(${name}) AS VARCHAR)`,
        expect: (v) => (BigInt(v) * unitScale[column.logical.unit]).toString(),
      };
    case 'TIME':
      // DuckDB keeps TIME in microseconds: nanoseconds come back truncated to them.
      return {
        sql: `CAST(epoch_us(${name}) AS VARCHAR)`,
        expect: (v) =>
          column.logical.unit === 'NANOS' ? (BigInt(v) / 1000n).toString() : (BigInt(v) * unitScale[column.logical.unit]).toString(),
      };
    case 'DECIMAL':
      return { sql: `CAST(${name} AS VARCHAR)`, expect: (v) => formatDecimal(v, column.logical.scale) };
    case 'UUID':
      return { sql: `CAST(${name} AS VARCHAR)`, expect: uuidText };
    case 'STRING':
    case 'ENUM':
    case 'JSON':
      return { sql: `CAST(${name} AS VARCHAR)`, expect: (v) => v };
    default:
      break;
  }
  switch (column.physical) {
    case 'BOOLEAN':
      return { sql: name, expect: (v) => v };
    case 'INT32':
    case 'INT64':
      return { sql: `CAST(${name} AS VARCHAR)`, expect: (v) => v };
    case 'FLOAT':
    case 'DOUBLE':
      return { sql: name, expect: parseNumber, same: sameNumber };
    default:
      return { sql: `lower(hex(${name}))`, expect: (v) => v };
  }
}

// Compares every value of the file with the expected rows, in file order.
export async function checkValuesWithDuckDB(db, file, expected) {
  const columns = expected.columns.map(duckdbColumn);
  const select = columns.map((c, i) => `${c.sql} AS v${i}`).join(', ');
  const rows = await db.rows(
    `SELECT ${select} FROM read_parquet(${sqlString(file)}, file_row_number = true) ORDER BY file_row_number`,
  );
  assert.equal(rows.length, expected.rows.length, `${expected.name}: row count`);
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < columns.length; c++) {
      const want = expected.rows[r][c];
      const got = rows[r][`v${c}`];
      const where = `${expected.name}: DuckDB row ${r} column ${expected.columns[c].name}`;
      if (want === null) {
        assert.equal(got, null, where);
      } else if (columns[c].same) {
        assert.ok(columns[c].same(got, columns[c].expect(want)), `${where}: got ${got}, want ${want}`);
      } else {
        assert.equal(got, columns[c].expect(want), where);
      }
    }
  }
}

// What DuckDB reports of the file's schema: physical, converted and logical types, repetition, lengths.
export async function checkSchemaWithDuckDB(db, file, expected) {
  const rows = await db.rows(`SELECT * FROM parquet_schema(${sqlString(file)})`);
  assert.equal(rows.length, expected.columns.length + 1, `${expected.name}: schema elements`);
  assert.equal(rows[0].num_children, BigInt(expected.columns.length));
  const converted = {
    STRING: () => 'UTF8',
    JSON: () => 'JSON',
    ENUM: () => 'ENUM',
    DATE: () => 'DATE',
    DECIMAL: () => 'DECIMAL',
    UUID: () => null,
    TIME: (l) => ({ MILLIS: 'TIME_MILLIS', MICROS: 'TIME_MICROS', NANOS: null })[l.unit],
    TIMESTAMP: (l) => ({ MILLIS: 'TIMESTAMP_MILLIS', MICROS: 'TIMESTAMP_MICROS', NANOS: null })[l.unit],
    INTEGER: (l) => `${l.signed ? '' : 'U'}INT_${l.bits}`,
  };
  expected.columns.forEach((column, i) => {
    const row = rows[i + 1];
    const where = `${expected.name}: parquet_schema of ${column.name}`;
    assert.equal(row.name, column.name, where);
    assert.equal(row.type, column.physical, where);
    assert.equal(row.repetition_type, column.required ? 'REQUIRED' : 'OPTIONAL', where);
    if (column.physical === 'FIXED_LEN_BYTE_ARRAY') assert.equal(row.type_length, String(column.type_length), where);
    const l = column.logical;
    assert.equal(row.converted_type, l ? converted[l.kind](l) : null, where);
    const logical = row.logical_type ?? '';
    if (!l) {
      assert.equal(row.logical_type, null, where);
    } else if (l.kind === 'DECIMAL') {
      assert.equal(Number(row.scale), l.scale, where);
      assert.equal(Number(row.precision), l.precision, where);
      assert.match(logical, new RegExp(`DecimalType\\(scale=${l.scale}, precision=${l.precision}\\)`), where);
    } else if (l.kind === 'TIMESTAMP' || l.kind === 'TIME') {
      const type = l.kind === 'TIME' ? 'TimeType' : 'TimestampType';
      const unit = { MILLIS: 'MilliSeconds', MICROS: 'MicroSeconds', NANOS: 'NanoSeconds' }[l.unit];
      assert.match(logical, new RegExp(`^${type}\\(isAdjustedToUTC=${l.utc ? 1 : 0}, unit=TimeUnit\\(.*${l.unit}=${unit}\\(\\)`), where);
    } else if (l.kind === 'INTEGER') {
      // DuckDB prints the i8 bitWidth as a character.
      const width = `(${l.bits}|${String.fromCharCode(l.bits).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`;
      assert.match(logical, new RegExp(`IntType\\(bitWidth=${width}, isSigned=${l.signed ? 1 : 0}\\)`), where);
    } else {
      const names = { STRING: 'StringType', JSON: 'JsonType', ENUM: 'EnumType', DATE: 'DateType', UUID: 'UUIDType' };
      assert.match(logical, new RegExp(names[l.kind]), where);
    }
  });
}

// --- hyparquet ---------------------------------------------------------------------------------------------

// Parsers that hand over the stored numbers instead of Date objects, so nothing is rounded away.
const rawParsers = {
  timestampFromMilliseconds: (v) => v,
  timestampFromMicroseconds: (v) => v,
  timestampFromNanoseconds: (v) => v,
  dateFromDays: (v) => v,
  jsonFromBytes: (bytes) => new TextDecoder().decode(bytes),
  uuidFromBytes: (bytes) => toHex(bytes),
};

function decimalNumber(unscaled, scale) {
  // hyparquet turns decimals into JavaScript numbers: unscaled / 10^scale.
  return Number(BigInt(unscaled)) / 10 ** scale;
}

function hyparquetExpect(column) {
  const kind = logicalKind(column);
  if (kind === 'DECIMAL') {
    const exact = column.physical !== 'FIXED_LEN_BYTE_ARRAY';
    return {
      expect: (v) => decimalNumber(v, column.logical.scale),
      same: (got, want) =>
        typeof got === 'number' && (exact ? got === want : Math.abs(got - want) <= Math.abs(want) * 1e-15),
    };
  }
  if (kind === 'ENUM') {
    // hyparquet decodes ENUM as text only with utf8 on, which would also decode plain BYTE_ARRAY columns.
    return { expect: (v) => v, actual: (got) => (got instanceof Uint8Array ? new TextDecoder().decode(got) : got) };
  }
  if (kind === 'STRING' || kind === 'JSON' || kind === 'UUID') return { expect: (v) => v };
  switch (column.physical) {
    case 'BOOLEAN':
      return { expect: (v) => v };
    case 'INT32':
    case 'INT64':
      return { expect: (v) => v, actual: (got) => String(got) };
    case 'FLOAT':
    case 'DOUBLE':
      return { expect: parseNumber, same: sameNumber };
    default:
      return { expect: (v) => v, actual: (got) => toHex(got) };
  }
}

export async function checkValuesWithHyparquet(file, expected) {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  assert.equal(Number(metadata.num_rows), expected.rows.length, `${expected.name}: hyparquet num_rows`);
  assert.match(metadata.created_by, /^sluice version \d+\.\d+\.\d+$/);
  const rows = await parquetReadObjects({ file: buffer, compressors, utf8: false, parsers: rawParsers });
  assert.equal(rows.length, expected.rows.length, `${expected.name}: hyparquet row count`);
  const checks = expected.columns.map(hyparquetExpect);
  for (let r = 0; r < rows.length; r++) {
    expected.columns.forEach((column, c) => {
      const want = expected.rows[r][c];
      const got = rows[r][column.name];
      const where = `${expected.name}: hyparquet row ${r} column ${column.name}`;
      if (want === null) {
        assert.ok(got === null || got === undefined, `${where}: got ${got}, want null`);
        return;
      }
      const check = checks[c];
      const value = check.actual ? check.actual(got) : got;
      if (check.same) assert.ok(check.same(value, check.expect(want)), `${where}: got ${value}, want ${want}`);
      else assert.equal(value, check.expect(want), where);
    });
  }
}
