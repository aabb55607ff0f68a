"""GetFile → PutFile on one file system, without provenance, copies no byte: GetFile takes each source over by a hard link and
PutFile hands it on by another, so every delivered file is the source's own inode, with its content, and
the content repository keeps no name of it afterwards (it is not archived: the delivered file may change).
With provenance on, PutFile copies, so that the archive keeps what provenance shows.
A source with a second name is copied instead (a writer through that name could change the bytes), and
PutFile with `permissions` copies too (a chmod would change the repository's file)."""
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
                f.write(os.urandom(200_000 + i))
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

        # With provenance on, PutFile copies: the archive keeps what provenance shows.
        os.rename(os.path.join(tmp, "out"), os.path.join(tmp, "out-second"))
        for name, (content, _) in sources.items():
            path = os.path.join(tmp, "in", name)
            with open(path, "wb") as f:
                f.write(content)
            sources[name] = (content, os.stat(path).st_ino)
        harness.run("run", flow, "--data-dir", data, "--until-idle=500ms", "--set", "provenance.enabled=true")
        for name, (content, inode) in sources.items():
            out = os.path.join(tmp, "out", name)
            with open(out, "rb") as f:
                harness.check(f.read() == content, f"out/{name}: content differs (provenance on)")
            harness.check(os.stat(out).st_ino != inode, f"out/{name} was linked with provenance on")
    print("file hand-over test passed")


if __name__ == "__main__":
    harness.run_test(test)
