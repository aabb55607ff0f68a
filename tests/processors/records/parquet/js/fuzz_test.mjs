// Random schemas, options and rows (fuzz_cases.cpp) written by the real writer and read back by DuckDB
// and hyparquet, compared value by value. SLUICE_PARQUET_FUZZ_SEED and SLUICE_PARQUET_FUZZ_COUNT choose or
// widen a run; the seed of each file is in its name.
import { after, before, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { checkValuesWithDuckDB, checkValuesWithHyparquet, openDuckDB, readExpected, removeDir, writeCases } from './readers.mjs';
import { checkMetadataWithDuckDB } from './stats.mjs';

// A fixed default keeps CI deterministic; set another seed (and a larger count) to explore.
const seed = process.env.SLUICE_PARQUET_FUZZ_SEED ?? '20250101';
const count = process.env.SLUICE_PARQUET_FUZZ_COUNT ?? '40';

let dir;
let db;
before(async () => {
  console.log(`fuzz seed ${seed}, ${count} files (SLUICE_PARQUET_FUZZ_SEED=${seed} replays them)`);
  dir = writeCases(['--fuzz', count, seed]);
  db = await openDuckDB();
});
after(() => removeDir(dir));

test('random files read back exactly', async (t) => {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  if (names.length !== Number(count)) throw new Error(`${names.length} files written, ${count} asked for`);
  for (const name of names) {
    await t.test(name, async () => {
      const expected = readExpected(dir, name);
      const file = join(dir, `${name}.parquet`);
      await checkValuesWithDuckDB(db, file, expected);
      await checkMetadataWithDuckDB(db, file, expected, { codec: expected.codec });
      await checkValuesWithHyparquet(file, expected);
    });
  }
});
