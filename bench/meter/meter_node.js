// The smart-meter job as a hand-written, single-threaded Node.js program: stream the CSV, parse each row
// (RFC 4180 quoting), make it a JSON object (kwh, voltage, current as numbers), route it by the MD5 of
// meter_id (first hex digit mod 4, as the sluice flow computes it) into OUT/<bucket>/part.jsonl.
//
//   node meter_node.js IN.csv OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) {
  console.error('usage: node meter_node.js IN.csv OUT_DIR');
  process.exit(2);
}

const kBuckets = 4;
const numeric = new Set(['kwh', 'voltage', 'current']);

// One CSV line into its cells.
function cells(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      let start = ++i;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote: ' + line.slice(0, 40));
        if (line[q + 1] === '"') {
          value += line.slice(start, q + 1);
          i = start = q + 2;
        } else {
          value += line.slice(start, q);
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i += 1;  // the ',' after the closing quote
    } else {
      let comma = line.indexOf(',', i);
      if (comma < 0) comma = line.length;
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  return out;
}

// One buffered, back-pressure-aware writer per bucket.
const writers = [];
for (let b = 0; b < kBuckets; b++) {
  fs.mkdirSync(path.join(outDir, String(b)), { recursive: true });
  writers.push({ stream: fs.createWriteStream(path.join(outDir, String(b), 'part.jsonl')), chunks: [], size: 0 });
}

let columns = null;
let rows = 0;
let tail = '';
const reader = fs.createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 });

function flush(w) {
  if (w.size === 0) return true;
  const ok = w.stream.write(w.chunks.join(''));
  w.chunks = [];
  w.size = 0;
  return ok;
}

reader.on('data', (chunk) => {
  const text = tail + chunk;
  const lines = text.split('\n');
  tail = lines.pop();
  for (const line of lines) handle(line);
  let blocked = false;
  for (const w of writers) {
    if (w.size >= 1 << 20 && !flush(w)) {
      blocked = true;
      w.stream.once('drain', () => reader.resume());
    }
  }
  if (blocked) reader.pause();
});

function handle(line) {
  if (line.length === 0) return;
  const values = cells(line);
  if (columns === null) {
    columns = values;
    return;
  }
  const record = {};
  for (let c = 0; c < columns.length; c++) {
    record[columns[c]] = numeric.has(columns[c]) ? Number(values[c]) : values[c];
  }
  const digest = crypto.createHash('md5').update(record.meter_id).digest();
  const w = writers[(digest[0] >> 4) % kBuckets];
  const json = JSON.stringify(record) + '\n';
  w.chunks.push(json);
  w.size += json.length;
  rows++;
}

reader.on('end', () => {
  handle(tail);
  let open = writers.length;
  for (const w of writers) {
    flush(w);
    w.stream.end(() => {
      const fd = fs.openSync(w.stream.path, 'r');  // durable like the others' outputs
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      if (--open === 0) console.log(`${rows} rows`);
    });
  }
});
reader.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
