"""Provenance through the real binary: GetFile -> PutFile records RECEIVE and SEND with file:// URIs; the
query, sql, lineage (rendered by Graphviz's dot), content and replay commands work on the data directory,
replay re-delivers identical content on a stopped engine (request file) and on a running one (control
socket); a malformed query and a damaged partition are reported clearly."""
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys

import harness

FILES = 20


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_flow(tmp, src, out):
    flow = os.path.join(tmp, "flow.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: provenance-it
settings: {{ durability: fsync, provenance: {{ indexed_attributes: [filename] }} }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 5 }}
    schedule: {{ strategy: timer, period: 10ms }}
  put:
    type: PutFile
    properties: {{ directory: "{out}", conflict: replace }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: put }}
""")
    return flow


def query_json(data, *args):
    return json.loads(harness.run("provenance", "query", "--data-dir", data, "--json", *args).stdout)


def sql_rows(data, statement):
    out = harness.run("provenance", "sql", "--data-dir", data, "--csv", statement).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main():
    with harness.TempDir("sluice-provenance-") as tmp:
        src, out, data = (os.path.join(tmp, d) for d in ("in", "out", "data"))
        os.makedirs(src)
        digests = {}
        for i in range(FILES):
            name = f"m{i:03d}.csv"
            body = (f"meter,{i}\n" * (i + 1)).encode()
            with open(os.path.join(src, name), "wb") as f:
                f.write(body)
            digests[name] = hashlib.sha256(body).hexdigest()
        flow = write_flow(tmp, src, out)
        harness.run("run", flow, "--data-dir", data, "--until-idle", "--log-level", "warn")
        harness.check(sorted(os.listdir(out)) == sorted(digests), f"delivered: {os.listdir(out)}")

        # What happened to each file: RECEIVE at get, SEND and DROP at put, nothing else.
        rows = sql_rows(data, "SELECT type, component_id, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2")
        counts = {(r["type"], r["component_id"]): int(r["n"]) for r in rows}
        harness.check(counts == {("DROP", "put"): FILES, ("RECEIVE", "get"): FILES, ("SEND", "put"): FILES},
                      f"event counts: {counts}")

        # Find one file's history by its (indexed) filename.
        sent = query_json(data, "--attr", "filename=m007.csv", "--type", "SEND")
        harness.check(len(sent) == 1, f"SEND of m007.csv: {sent}")
        send = sent[0]
        harness.check(send["transit_uri"] == "file://" + os.path.join(out, "m007.csv"), f"uri: {send}")
        harness.check(send["content_in"]["available"], f"content: {send}")
        received = query_json(data, "--flowfile", send["flowfile_uuid"], "--oldest-first")
        harness.check([e["type"] for e in received] == ["RECEIVE", "SEND", "DROP"], f"history: {received}")
        harness.check(received[0]["transit_uri"] == "file://" + os.path.join(src, "m007.csv"), f"{received[0]}")
        by_uri = query_json(data, "--uri", "m007.csv")
        harness.check({e["type"] for e in by_uri} == {"RECEIVE", "SEND"}, f"by uri: {by_uri}")

        # The content the event saw, byte for byte.
        content = harness.run("provenance", "content", str(send["event_id"]), "--input", "--data-dir", data,
                              "--out", os.path.join(tmp, "m007.copy"))
        harness.check(sha(os.path.join(tmp, "m007.copy")) == digests["m007.csv"], "content differs")

        # Lineage renders with Graphviz.
        dot = harness.run("provenance", "lineage", send["flowfile_uuid"], "--dot", "--data-dir", data).stdout
        svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
        harness.check("<svg" in svg and "SEND" in svg, "dot did not render the lineage")
        lineage = json.loads(harness.run("provenance", "lineage", send["flowfile_uuid"], "--json",
                                         "--data-dir", data).stdout)
        harness.check(lineage["flowfiles"] == [send["flowfile_uuid"]], f"lineage: {lineage['flowfiles']}")

        # Replay on a stopped engine: a request file, applied by the next run.
        os.remove(os.path.join(out, "m007.csv"))
        replay = harness.run("provenance", "replay", str(send["event_id"]), "--data-dir", data)
        harness.check("queued" in replay.stdout, f"replay: {replay.stdout}")
        harness.run("run", flow, "--data-dir", data, "--until-idle", "--log-level", "warn")
        harness.check(sha(os.path.join(out, "m007.csv")) == digests["m007.csv"], "replayed content differs")
        replays = query_json(data, "--type", "REPLAY")
        harness.check(len(replays) == 1 and replays[0]["parents"] == [send["flowfile_uuid"]], f"{replays}")
        harness.check(replays[0]["component_id"] == "put" and replays[0]["source_queue"] == "get:success:put",
                      f"{replays}")
        harness.check(replays[0]["attributes"]["filename"] == "m007.csv", f"{replays}")
        pending = os.listdir(os.path.join(data, "provenance", "replay"))
        harness.check(pending == [], f"request files left: {pending}")

        # Replay on a running engine: through the control socket, at once.
        os.remove(os.path.join(out, "m007.csv"))
        log = open(os.path.join(tmp, "engine.log"), "w")
        engine = subprocess.Popen(harness.sluice_args("run", flow, "--data-dir", data, "--log-level", "info"),
                                  stdout=subprocess.DEVNULL, stderr=log)
        try:
            harness.wait_for(lambda: os.path.exists(os.path.join(data, "control.sock")), "the control socket")
            live = harness.run("provenance", "replay", str(send["event_id"]), "--data-dir", data)
            harness.check(live.stdout.startswith(f"replayed event {send['event_id']} as FlowFile"), live.stdout)
            harness.wait_for(lambda: os.path.exists(os.path.join(out, "m007.csv")), "the replayed file")
            bad = harness.run("provenance", "replay", "999999", "--data-dir", data, check=False)
            harness.check(bad.returncode == 1 and "no provenance event 999999" in bad.stderr, bad.stderr)
            created = harness.run("provenance", "replay", str(received[0]["event_id"]), "--data-dir", data,
                                  check=False)
            harness.check(created.returncode == 1 and "no input to replay" in created.stderr, created.stderr)
        finally:
            engine.send_signal(signal.SIGTERM)
            engine.wait(timeout=60)
            log.close()
        harness.check(engine.returncode == 0, "engine did not stop cleanly")
        harness.wait_for(lambda: sha(os.path.join(out, "m007.csv")) == digests["m007.csv"], "identical replayed content")
        harness.check(len(query_json(data, "--type", "REPLAY")) == 2, "second REPLAY missing")

        # A malformed query: exit 2 and where it went wrong.
        bad = harness.run("provenance", "sql", "--data-dir", data, "SELECT * FORM events", check=False)
        harness.check(bad.returncode == 2 and bad.stderr.startswith("sql:1:10: near \"FORM\": syntax error"),
                      f"{bad.returncode} {bad.stderr}")
        nope = harness.run("provenance", "query", "--data-dir", data, "--type", "SENT", check=False)
        harness.check(nope.returncode == 2 and "not an event type" in nope.stderr, nope.stderr)

        # A damaged partition: a warning, and the other partitions still answer.
        store = os.path.join(data, "provenance")
        parts = sorted(p for p in os.listdir(store) if p.startswith("p"))
        damaged = os.path.join(tmp, "damaged")
        shutil.copytree(data, damaged)
        extra = os.path.join(damaged, "provenance", "p00000000000099999999")
        os.makedirs(extra)
        with open(os.path.join(extra, "events"), "wb") as f:
            f.write(b"not a provenance partition at all")
        result = harness.run("provenance", "sql", "--data-dir", damaged, "--json",
                             "SELECT count(*) AS n FROM events")
        harness.check(json.loads(result.stdout)[0]["n"] >= 3 * FILES, result.stdout)
        harness.check("p00000000000099999999 skipped" in result.stderr, f"warning: {result.stderr}")
        print(f"{len(parts)} partition(s); provenance test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
