"""flows/meter-daily-consumption.yaml end to end through the real `sluice` binary against a real PostgreSQL:
CSV files of readings over several Europe/Berlin days (one of them the 23-hour DST day) and invalid rows go
in; the test waits (bounded, polling) until the daily sums are in the database, then checks every API
answer against sums computed here, independently, from the input files (exact decimals), the rejected rows
and their reasons, and the tables with psql."""
import datetime
import decimal
import http.client
import json
import os
import random
import socket
import subprocess
import zoneinfo

import harness
import servers

FLOW = os.path.join(harness.TESTS_DIR, "..", "flows", "meter-daily-consumption.yaml")
SCHEMA = os.path.join(harness.TESTS_DIR, "..", "flows", "meter-daily-consumption.sql")
ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
METERS = [f"M{i:03d}" for i in range(1, 7)]
SECRET = "pw-not-to-be-logged"


def write_inputs(directory):
    """Hourly readings of every meter from 2024-03-29 22:00 UTC for four days, shuffled over three files (a
    day's readings spread across files), plus a file mixing valid rows with invalid ones. Returns the
    expected {(day, meter): kwh} and the invalid rows."""
    os.makedirs(directory)
    rng = random.Random(9)
    start = datetime.datetime(2024, 3, 29, 22, tzinfo=datetime.timezone.utc)
    rows = []
    for hour in range(96):
        t = start + datetime.timedelta(hours=hour)
        for meter in METERS:
            if meter == "M006" and t.astimezone(ZONE).date() == datetime.date(2024, 4, 1):
                continue  # M006 has no readings that day: a 404 for it
            rows.append((meter, t.strftime("%Y-%m-%dT%H:%M:%SZ"), decimal.Decimal(rng.randint(0, 50000)) / 1000))
    rng.shuffle(rows)
    expected = {}
    for meter, ts, kwh in rows:
        day = datetime.datetime.fromisoformat(ts).astimezone(ZONE).date().isoformat()
        expected[(day, meter)] = expected.get((day, meter), decimal.Decimal(0)) + kwh
    good, mixed = rows[:-20], rows[-20:]
    for f in range(3):
        with open(os.path.join(directory, f"readings-{f}.csv"), "w") as out:
            out.write("meter_id,reading_time,kwh\n")
            out.writelines(f"{m},{t},{k}\n" for m, t, k in good[f::3])
    invalid = ["M001,2024-03-30T10:30:00Z,-0.5", "M002,2024-03-30T10:30:00Z,50.001",
               "M003,2024-03-30T10:30:00Z,lots", "M004,yesterday,1.5"]
    with open(os.path.join(directory, "mixed.csv"), "w") as out:
        out.write("meter_id,reading_time,kwh\n")
        lines = [f"{m},{t},{k}" for m, t, k in mixed] + invalid
        out.write("\n".join(lines) + "\n")
    return expected, invalid, good


def expected_per_day(expected):
    per_day = {}
    for (day, _), kwh in expected.items():
        total, meters = per_day.get(day, (decimal.Decimal(0), 0))
        per_day[day] = (total + kwh, meters + 1)
    return per_day


def write_late_file(directory, good, expected):
    """A later file: a new meter's readings on the DST day and, again, rows already loaded (a file delivered
    twice must not count twice). Updates `expected`."""
    rows = [("M007", f"2024-03-31T{h:02d}:30:00Z", decimal.Decimal(h) / 8) for h in range(22)]
    for meter, ts, kwh in rows:
        day = datetime.datetime.fromisoformat(ts).astimezone(ZONE).date().isoformat()
        expected[(day, meter)] = expected.get((day, meter), decimal.Decimal(0)) + kwh
    with open(os.path.join(directory, ".late.csv"), "w") as out:
        out.write("meter_id,reading_time,kwh\n")
        out.writelines(f"{m},{t},{k}\n" for m, t, k in rows + good[:50])
    os.rename(os.path.join(directory, ".late.csv"), os.path.join(directory, "late.csv"))


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read().decode()
    finally:
        conn.close()


def answer(port, path):
    status, content_type, body = get(port, path)
    harness.check(content_type == "application/json", f"{path}: Content-Type {content_type}")
    return status, json.loads(body, parse_float=decimal.Decimal)


def test(tmp, pg):
    pg.psql(open(SCHEMA).read())
    expected, invalid, good = write_inputs(os.path.join(tmp, "in", "meters"))
    per_day = expected_per_day(expected)
    harness.check(len(per_day) == 5, f"expected 5 local days, got {sorted(per_day)}")
    harness.check(sum(1 for (d, _) in expected if d == "2024-03-31") == 6, "the DST day has every meter")

    port = servers.free_port()
    env = dict(os.environ, METER_API_PORT=str(port),
               METER_DB_URL=f"postgresql://{pg.user}:{SECRET}@127.0.0.1:{pg.port}/{pg.database}",
               METER_DB_SSLMODE="disable")
    log_path = os.path.join(tmp, "sluice.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(harness.sluice_args("run", os.path.abspath(FLOW), "--data-dir",
                                                    os.path.join(tmp, "data"), "--log-level", "info"),
                                cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def sums_in_database():
            rows = pg.psql("SELECT day, total_kwh, meters FROM daily_consumption ORDER BY day").splitlines()
            got = {d: (decimal.Decimal(t), int(m)) for d, t, m in (r.split("\t") for r in rows)}
            return got == per_day and not os.listdir(os.path.join(tmp, "in", "meters"))
        harness.wait_for(sums_in_database, "every file consumed and the daily sums in PostgreSQL", timeout=120)

        # A later file updates only the days it touches, exactly, and rows delivered again count once.
        write_late_file(os.path.join(tmp, "in", "meters"), good, expected)
        per_day = expected_per_day(expected)
        harness.wait_for(sums_in_database, "the late file's sums in PostgreSQL", timeout=120)

        # The database, read with psql (an independent client): every meter's daily sum, exactly.
        rows = pg.psql("SELECT day, meter_id, kwh FROM daily_meter_consumption").splitlines()
        got = {(d, m): decimal.Decimal(k) for d, m, k in (r.split("\t") for r in rows)}
        harness.check(got == expected, f"daily_meter_consumption differs: {len(got)} rows, {len(expected)} expected")

        # The API: every day and every meter-day, against the sums computed here.
        harness.wait_for(lambda: port_open(port), "the API to listen", timeout=30)
        for day, (total, meters) in per_day.items():
            status, body = answer(port, f"/consumption/daily/{day}")
            harness.check(status == 200 and body == {"date": day, "total_kwh": total, "meters": meters},
                          f"/consumption/daily/{day}: {status} {body}, expected {total} kWh from {meters} meters")
        for (day, meter), kwh in expected.items():
            status, body = answer(port, f"/consumption/daily/{day}/{meter}")
            harness.check(status == 200 and body == {"date": day, "meter_id": meter, "kwh": kwh},
                          f"/consumption/daily/{day}/{meter}: {status} {body}, expected {kwh}")
        status, body = answer(port, "/consumption/daily/2023-01-01")
        harness.check(status == 404 and "2023-01-01" in body["error"], f"unknown date: {status} {body}")
        status, body = answer(port, "/consumption/daily/2024-04-01/M006")
        harness.check(status == 404 and "M006 on 2024-04-01" in body["error"], f"unknown meter: {status} {body}")
        for bad in ("/consumption/daily/2024-3-1", "/consumption/daily/2024-02-30", "/consumption/daily",
                    "/consumption/daily/2024-03-30/M001/extra"):
            status, body = answer(port, bad)
            harness.check(status == 400 and "error" in body, f"{bad}: {status} {body}")
        status, _, _ = get(port, "/elsewhere")
        harness.check(status == 404, f"/elsewhere: {status}")

        # Rejected rows, with one reason per row.
        rejects = os.path.join(tmp, "out", "meter-rejects")
        with open(os.path.join(rejects, "mixed.csv")) as f:
            rejected = [line.strip() for line in f if line.strip() and not line.startswith("meter_id")]
        harness.check(sorted(rejected) == sorted(invalid), f"rejected rows: {rejected}")
        with open(os.path.join(rejects, "mixed.csv.reasons.json")) as f:
            reasons = json.load(f)
        errors = reasons["record.errors"]
        harness.check(len(errors.strip().splitlines()) == len(invalid) and
                      all(word in errors for word in ("min=0", "max=50", "'lots'", "'yesterday'")),
                      f"reasons: {errors}")
        harness.check(sorted(os.listdir(rejects)) == ["mixed.csv", "mixed.csv.reasons.json"],
                      f"rejects: {os.listdir(rejects)}")
        harness.check(proc.poll() is None, f"sluice exited: {proc.returncode}")
    finally:
        servers.terminate(proc, timeout=60)
    log = servers.read_text(log_path)
    harness.check(SECRET not in log, "the database password was logged")


def main():
    with harness.TempDir("sluice-meter-daily-") as tmp, servers.Postgres() as pg:
        test(tmp, pg)
    print("meter daily consumption: OK")


if __name__ == "__main__":
    harness.run_test(main)
