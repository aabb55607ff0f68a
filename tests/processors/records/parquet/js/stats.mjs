// Checks the footer's column-chunk metadata as DuckDB reads it (parquet_metadata): row groups, value and
// null counts, min/max statistics recomputed here from the expected rows, codecs and encodings.
import assert from 'node:assert/strict';

const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

function parseNumber(text) {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

// How to order a column's expected values, for the kinds whose statistics DuckDB shows as plain text.
function statsOrder(column) {
  const kind = column.logical ? column.logical.kind : 'NONE';
  if (kind === 'STRING') {
    const bytes = (v) => Buffer.from(v, 'utf8');
    return { key: (v) => v, less: (a, b) => Buffer.compare(bytes(a), bytes(b)) < 0, show: (v) => v };
  }
  if (kind === 'NONE' || kind === 'INTEGER') {
    if (column.physical === 'INT32' || column.physical === 'INT64') {
      return { key: (v) => BigInt(v), less: (a, b) => a < b, show: (v) => v.toString() };
    }
    if (column.physical === 'DOUBLE' || column.physical === 'FLOAT') {
      // FLOAT statistics print as floats: compare them at float precision.
      const key = column.physical === 'FLOAT' ? (v) => Math.fround(parseNumber(v)) : parseNumber;
      return { key, less: (a, b) => a < b, skip: Number.isNaN, numeric: column.physical };
    }
  }
  return null;
}

export async function checkMetadataWithDuckDB(db, file, expected, { codec }) {
  const rows = await db.rows(
    `SELECT * FROM parquet_metadata(${sqlString(file)}) ORDER BY row_group_id, column_id`,
  );
  const columns = expected.columns.length;
  assert.equal(rows.length, expected.row_groups * columns, `${expected.name}: column chunks`);
  let first = 0;
  for (let g = 0; g < expected.row_groups; g++) {
    const chunk = rows.slice(g * columns, (g + 1) * columns);
    const groupRows = Number(chunk[0].row_group_num_rows);
    assert.ok(groupRows > 0, `${expected.name}: row group ${g} is empty`);
    const values = expected.rows.slice(first, first + groupRows);
    expected.columns.forEach((column, c) => {
      const meta = chunk[c];
      const where = `${expected.name}: row group ${g} column ${column.name}`;
      assert.equal(meta.path_in_schema, column.name, where);
      assert.equal(meta.compression, codec, where);
      assert.equal(Number(meta.num_values), groupRows, where);
      const column_values = values.map((row) => row[c]);
      const nulls = column_values.filter((v) => v === null).length;
      assert.equal(Number(meta.stats_null_count), nulls, `${where}: null count`);
      const order = statsOrder(column);
      if (!order) return;
      const keys = column_values.filter((v) => v !== null).map(order.key).filter((k) => !(order.skip && order.skip(k)));
      if (keys.length === 0) {
        assert.equal(meta.stats_min_value, null, `${where}: no min without values`);
        return;
      }
      if (meta.stats_min_value === null) return;  // left out: longer than max_statistics_size
      let min = keys[0];
      let max = keys[0];
      for (const k of keys) {
        if (order.less(k, min)) min = k;
        if (order.less(max, k)) max = k;
      }
      if (order.numeric) {
        // === rather than Object.is: the writer may store either zero as a zero bound.
        const shown = (text) => (order.numeric === 'FLOAT' ? Math.fround(Number(text)) : Number(text));
        // DuckDB shows an infinite bound as null (hyparquet reads it as Infinity: the footer has it).
        const same = (text, want) => (text === null ? !Number.isFinite(want) : shown(text) === want);
        assert.ok(same(meta.stats_min_value, min), `${where}: min ${meta.stats_min_value}, want ${min}`);
        assert.ok(same(meta.stats_max_value, max), `${where}: max ${meta.stats_max_value}, want ${max}`);
      } else {
        assert.equal(meta.stats_min_value, order.show(min), `${where}: min`);
        assert.equal(meta.stats_max_value, order.show(max), `${where}: max`);
      }
    });
    first += groupRows;
  }
  assert.equal(first, expected.rows.length, `${expected.name}: rows over all row groups`);
  return rows;
}
