"""GetFile → PutFile on one file system copies no byte: GetFile takes each source over by a hard link and
PutFile hands it on by another, so every delivered file is the source's own inode, with its content.
Without provenance the content repository keeps no name of it afterwards (nothing to archive). With
provenance on, the archive keeps a name of the delivered inode and a SHA-256 seal made at delivery:
provenance shows the delivered bytes while they are unchanged, and refuses them, saying why, once the
delivered file was changed.
A source with a second name is copied instead (a writer through that name could change the bytes), and
PutFile with `permissions` copies too (a chmod would change the repository's file)."""
import json
import os

import harness

FLOW = """flow: handover
settings: {{ durability: fsync, provenance: {{ enabled: false }} }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{tmp}/in", batch_size: 10 }}
  put:
    type: PutFile
    properties: {{ directory: "{tmp}/out", conflict: fail }}
    terminate: [success, failure]
  put_chmod:
    type: PutFile
    properties: {{ directory: "{tmp}/out-chmod", conflict: fail, permissions: "0640" }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: put }}
  - {{ from: get, relationship: success, to: put_chmod }}
"""


def test():
    with harness.TempDir("sluice-handover-") as tmp:
        os.makedirs(os.path.join(tmp, "in"))
        os.makedirs(os.path.join(tmp, "elsewhere"))
        sources = {}
        for i in range(4):
            name = f"f{i}.bin"
            path = os.path.join(tmp, "in", name)
            with open(path, "wb") as f:
                f.write(os.urandom((1 << 20) + i))  # smaller contents are copied: cheaper than a seal
            with open(path, "rb") as f:
                sources[name] = (f.read(), os.stat(path).st_ino)
        # f3 has a second name: it must be copied, and that name must keep its bytes.
        os.link(os.path.join(tmp, "in", "f3.bin"), os.path.join(tmp, "elsewhere", "f3.bin"))
        flow = os.path.join(tmp, "flow.yaml")
        with open(flow, "w") as f:
            f.write(FLOW.format(tmp=tmp))
        data = os.path.join(tmp, "data")
        harness.run("run", flow, "--data-dir", data, "--until-idle=500ms")

        # Two routes: each FlowFile went to both PutFiles (the chmod one always copies; the other links only
        # if it came second, when nothing else shared the content). Then one route, on fresh sources.
        for name, (content, _) in sources.items():
            for out in ("out", "out-chmod"):
                with open(os.path.join(tmp, out, name), "rb") as f:
                    harness.check(f.read() == content, f"{out}/{name}: content differs")
        with open(flow, "w") as f:
            f.write(FLOW.format(tmp=tmp).split("  put_chmod:")[0] +
                    "connections:\n  - { from: get, relationship: success, to: put }\n")
        os.rename(os.path.join(tmp, "out"), os.path.join(tmp, "out-first"))
        for name, (content, _) in sources.items():
            path = os.path.join(tmp, "in", name)
            if name == "f3.bin":
                os.link(os.path.join(tmp, "elsewhere", "f3.bin"), path)
            else:
                with open(path, "wb") as f:
                    f.write(content)
            sources[name] = (content, os.stat(path).st_ino)
        harness.run("run", flow, "--data-dir", data, "--until-idle=500ms")
        for name, (content, inode) in sources.items():
            out = os.path.join(tmp, "out", name)
            with open(out, "rb") as f:
                harness.check(f.read() == content, f"out/{name}: content differs")
            st = os.stat(out)
            if name == "f3.bin":
                harness.check(st.st_ino != inode, "a source with a second name was linked, not copied")
                with open(os.path.join(tmp, "elsewhere", "f3.bin"), "rb") as f:
                    harness.check(f.read() == content, "the second name's bytes changed")
            else:
                harness.check(st.st_ino == inode, f"out/{name} is not the source's inode: copied")
                harness.check(st.st_nlink == 1, f"out/{name} still has {st.st_nlink} names: the repository "
                              "kept (or archived) one")

        # With provenance on, PutFile links too; the archive keeps the delivered inode under a seal.
        os.rename(os.path.join(tmp, "out"), os.path.join(tmp, "out-second"))
        for name, (content, _) in sources.items():
            path = os.path.join(tmp, "in", name)
            with open(path, "wb") as f:
                f.write(content)
            sources[name] = (content, os.stat(path).st_ino)
        harness.run("run", flow, "--data-dir", data, "--until-idle=500ms", "--set", "provenance.enabled=true")
        sends = {}
        for name, (content, inode) in sources.items():
            out = os.path.join(tmp, "out", name)
            with open(out, "rb") as f:
                harness.check(f.read() == content, f"out/{name}: content differs (provenance on)")
            st = os.stat(out)
            harness.check(st.st_ino == inode, f"out/{name} was copied with provenance on")
            harness.check(st.st_nlink == 2, f"out/{name} has {st.st_nlink} names: the archive should hold one")
            sent = json.loads(harness.run("provenance", "query", "--data-dir", data, "--json", "--attr",
                                          f"filename={name}", "--type", "SEND").stdout)
            harness.check(len(sent) == 1 and sent[0]["content_in"].get("handed_over") is True,
                          f"SEND of {name}: {sent}")
            sends[name] = sent[0]["event_id"]

        def provenance_content(name):
            return harness.run("provenance", "content", str(sends[name]), "--input", "--data-dir", data,
                               "--out", os.path.join(tmp, "shown.bin"), check=False)

        shown = provenance_content("f0.bin")
        harness.check(shown.returncode == 0, f"provenance content: {shown.stderr}")
        with open(os.path.join(tmp, "shown.bin"), "rb") as f:
            harness.check(f.read() == sources["f0.bin"][0], "provenance shows other bytes than delivered")
        # The consumer moves one delivered file away (its bytes intact) and edits another in place.
        os.rename(os.path.join(tmp, "out", "f0.bin"), os.path.join(tmp, "elsewhere", "f0.bin"))
        shown = provenance_content("f0.bin")
        harness.check(shown.returncode == 0, f"a moved delivered file: {shown.stderr}")
        with open(os.path.join(tmp, "out", "f1.bin"), "r+b") as f:
            f.seek(1000)
            f.write(b"edited by the consumer")
        shown = provenance_content("f1.bin")
        harness.check(shown.returncode != 0 and "changed there since" in shown.stderr,
                      f"an edited delivered file was shown as the delivered content: {shown.returncode} "
                      f"{shown.stderr}")
    print("file hand-over test passed")


if __name__ == "__main__":
    harness.run_test(test)
