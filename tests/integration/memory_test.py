"""Memory test: one session creates 1,000,000 FlowFiles and a queue holds them; the engine's peak RSS must
stay under 400 MB (the queue swaps beyond its threshold; FlowFile records are compact)."""
import os
import sys

import harness

COUNT = int(os.environ.get("MEMORY_TEST_FLOWFILES", "1000000"))
LIMIT_MIB = 400


def main():
    with harness.TempDir("sluice-memory-") as tmp:
        flow = os.path.join(tmp, "memory.yaml")
        with open(flow, "w") as f:
            f.write(f"""flow: memory
settings: {{ durability: batch }}
processors:
  gen:
    type: GenerateFlowFile
    properties: {{ count: {COUNT}, batch_size: {COUNT} }}
  sink:
    type: LogAttribute
    properties: {{ log_level: trace }}
    schedule: {{ batch: 10000 }}
    terminate: [success]
connections:
  - {{ from: gen, relationship: success, to: sink, back_pressure: {{ objects: {2 * COUNT} }} }}
""")
        summary = os.path.join(tmp, "summary.json")
        harness.run("run", flow, "--data-dir", os.path.join(tmp, "data"), "--until-idle", "--log-level", "warn",
                    "--summary-json", summary)
        import json
        with open(summary) as f:
            counts = json.load(f)["processors"]
        peak = harness.peak_rss_of_children_mib()
        print(f"{COUNT} FlowFiles created in one session and queued: peak RSS {peak:.0f} MiB "
              f"(limit {LIMIT_MIB}); sink took {counts['sink']['in']}")
        harness.check(counts["gen"]["out"] == COUNT, f"generated {counts['gen']['out']}, expected {COUNT}")
        harness.check(counts["sink"]["in"] == COUNT, f"sink took {counts['sink']['in']}, expected {COUNT}")
        harness.check(peak < LIMIT_MIB, f"peak RSS {peak:.0f} MiB >= {LIMIT_MIB} MiB")
    print("memory test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
