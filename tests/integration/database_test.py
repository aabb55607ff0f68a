"""Database processors against a real PostgreSQL, driven through the real `sluice` binary and checked with psql:
- GetFile -> PutDatabaseRecord upserts CSV readings; the table holds exactly the sums computed from the input
  files independently; a file with a refused row goes to failure whole, with nothing of it in the table;
- while PostgreSQL is down, PutDatabaseRecord sends everything to retry and loses nothing: once the server is
  back, every row arrives (the engine's retry with backoff);
- QueryDatabaseTable -> PutFile emits each row once: rows added with psql between two runs of the engine over
  the same data directory (a restart) come out in the second run, and only they."""
import json
import os
import signal
import subprocess
import sys

import harness
import servers


def write_readings(directory):
    """Three CSV files of readings (one repeating a key: an upsert keeps the last) and one with a refused row;
    returns the expected {meter: kwh} from the good files."""
    os.makedirs(directory)
    expected = {}
    for f in range(3):
        lines = ["meter_id,day,kwh"]
        for i in range(100):
            meter, kwh = f"M{i % 40:03d}", round(f * 1000 + i * 0.25, 2)
            lines.append(f"{meter},2024-03-0{1 + f},{kwh}")
            expected[(meter, f"2024-03-0{1 + f}")] = kwh
        with open(os.path.join(directory, f"good{f}.csv"), "w") as out:
            out.write("\n".join(lines) + "\n")
    with open(os.path.join(directory, "bad.csv"), "w") as out:
        out.write("meter_id,day,kwh\nM900,2024-03-09,1.5\nM901,2024-03-09,-1\n")  # kwh >= 0 is a CHECK
    return expected


def test_put_database_record(tmp, pg):
    pg.psql("CREATE TABLE daily (meter_id TEXT, day DATE, kwh DOUBLE PRECISION CHECK (kwh >= 0), "
            "PRIMARY KEY (meter_id, day))")
    src = os.path.join(tmp, "in")
    expected = write_readings(src)
    flow = os.path.join(tmp, "put.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: put-database-record
services:
  csv: {{ type: CSVReader }}
  db:
    type: DatabaseConnection
    properties: {{ host: 127.0.0.1, port: {pg.port}, database: {pg.database}, user: {pg.user}, password: "${{env:SLUICE_TEST_PG_PASSWORD}}", sslmode: disable }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}" }}
  put:
    type: PutDatabaseRecord
    properties: {{ connection: db, reader: csv, table: daily, statement_type: UPSERT, key_columns: "meter_id, day" }}
    terminate: [success]
    retry: {{ relationships: [retry], policy: yield, backoff: 100 ms, max_backoff: 1 s }}
  failed:
    type: PutFile
    properties: {{ directory: "{tmp}/failed" }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: put }}
  - {{ from: put, relationship: failure, to: failed }}
""")
    env = dict(os.environ, SLUICE_TEST_PG_PASSWORD="pw-not-to-be-logged")
    proc = harness.run("run", flow, "--data-dir", os.path.join(tmp, "data-put"), "--until-idle", env=env)
    harness.check("pw-not-to-be-logged" not in proc.stdout + proc.stderr, "the password was logged")
    rows = pg.psql("SELECT meter_id, day, kwh FROM daily ORDER BY meter_id, day").splitlines()
    got = {(m, d): float(k) for m, d, k in (r.split("\t") for r in rows)}
    harness.check(got == expected, f"table holds {len(got)} rows, expected {len(expected)}")
    harness.check(os.listdir(os.path.join(tmp, "failed")) == ["bad.csv"], "bad.csv did not go to failure")
    harness.check(pg.psql("SELECT count(*) FROM daily WHERE meter_id = 'M900'").strip() == "0",
                  "a row of the refused file was kept")


def test_database_down_then_back(tmp, pg):
    pg.psql("CREATE TABLE outage (id INTEGER PRIMARY KEY, meter_id TEXT)")
    src = os.path.join(tmp, "outage-in")
    os.makedirs(src)
    for f in range(20):
        with open(os.path.join(src, f"o{f:02d}.csv"), "w") as out:
            out.write("id,meter_id\n" + "".join(f"{f * 50 + i},M{i}\n" for i in range(50)))
    flow = os.path.join(tmp, "outage.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: database-outage
services:
  csv: {{ type: CSVReader }}
  db:
    type: DatabaseConnection
    properties: {{ host: 127.0.0.1, port: {pg.port}, database: {pg.database}, user: {pg.user}, sslmode: disable, connect_timeout: 2 s }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 5 }}
  put:
    type: PutDatabaseRecord
    properties: {{ connection: db, reader: csv, table: outage }}
    terminate: [success, failure]
    retry: {{ relationships: [retry], policy: penalize, backoff: 100 ms, max_backoff: 500 ms }}
connections:
  - {{ from: get, relationship: success, to: put }}
""")
    pg.pause()
    proc = subprocess.Popen(harness.sluice_args("run", flow, "--data-dir", os.path.join(tmp, "data-outage")),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        harness.wait_for(lambda: not os.listdir(src), "GetFile to take every file while the database is down")
        pg.resume()
        count = lambda: int(pg.psql("SELECT count(*) FROM outage").strip())  # noqa: E731
        harness.wait_for(lambda: count() == 1000, "every row after the database came back", timeout=120)
        harness.check(proc.poll() is None, f"sluice exited: {proc.returncode}")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    harness.check("cannot connect to PostgreSQL" in err, "the outage was not reported")


def emitted_ids(directory):
    ids = []
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        with open(os.path.join(directory, name)) as f:
            ids.extend(json.loads(line)["id"] for line in f if line.strip())
    return sorted(ids)


def test_query_database_table_across_restart(tmp, pg):
    pg.psql("CREATE TABLE events (id BIGSERIAL PRIMARY KEY, meter_id TEXT, kwh DOUBLE PRECISION)")
    pg.psql("INSERT INTO events (meter_id, kwh) SELECT 'M' || g, g / 4.0 FROM generate_series(1, 250) g")
    out, data = os.path.join(tmp, "events"), os.path.join(tmp, "data-query")
    flow = os.path.join(tmp, "query.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: query-database-table
services:
  json: {{ type: JSONWriter, properties: {{ format: lines }} }}
  db:
    type: DatabaseConnection
    properties: {{ url: "postgresql://{pg.user}@127.0.0.1:{pg.port}/{pg.database}", sslmode: disable }}
processors:
  poll:
    type: QueryDatabaseTable
    properties: {{ connection: db, writer: json, table: events, max_value_columns: id, max_rows_per_flowfile: 100 }}
  store:
    type: PutFile
    properties: {{ directory: "{out}", conflict: fail }}
    terminate: [success, failure]
connections:
  - {{ from: poll, relationship: success, to: store }}
""")
    harness.run("run", flow, "--data-dir", data, "--until-idle")
    first = emitted_ids(out)
    harness.check(first == list(range(1, 251)), f"first run emitted {len(first)} rows, expected 250")
    pg.psql("INSERT INTO events (meter_id, kwh) SELECT 'N' || g, g FROM generate_series(1, 30) g")
    harness.run("run", flow, "--data-dir", data, "--until-idle")  # a restart over the same repositories
    second = emitted_ids(out)
    harness.check(second == list(range(1, 281)), f"after the restart: {len(second)} rows in all, expected 280 "
                  f"(each once; duplicates: {len(second) - len(set(second))})")


def main():
    with harness.TempDir("sluice-database-") as tmp, servers.Postgres() as pg:
        test_put_database_record(tmp, pg)
        test_database_down_then_back(tmp, pg)
        test_query_database_table_across_restart(tmp, pg)
    print("database integration test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
