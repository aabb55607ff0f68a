"""The installable SDK, end to end: `cmake --install` into a fresh prefix, build the out-of-tree example
plugin (docs/examples/line-filter-plugin) against it with find_package(sluice), run its own unit tests, then
run a flow with the *installed* `sluice` binary, which must find libsluice and the installed standard
plugins by itself (RPATH, <prefix>/lib/sluice/plugins) and the example plugin through --plugins."""
import os
import shutil
import subprocess

import harness

BUILD_DIR = os.environ["SLUICE_BUILD_DIR"]
SOURCE_DIR = os.path.dirname(harness.TESTS_DIR)
EXAMPLE = os.path.join(SOURCE_DIR, "docs", "examples", "line-filter-plugin")


def sh(*cmd, cwd=None, env=None, timeout=900):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}\nstdout:\n{proc.stdout}\n"
                             f"stderr:\n{proc.stderr}")
    return proc


def clean_env():
    """No help from the environment: the installed binary must find its libraries and plugins itself."""
    env = dict(os.environ)
    for name in ("LD_LIBRARY_PATH", "SLUICE_PLUGIN_PATH"):
        env.pop(name, None)
    return env


def read(path):
    with open(path) as f:
        return f.read()


def main():
    with harness.TempDir("sluice-sdk-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        sh("cmake", "--install", BUILD_DIR, "--prefix", prefix)
        for relative in ("bin/sluice", "include/sluice/sdk.hpp", "include/sluice/testkit.hpp",
                         "lib/sluice/plugins/libsluice_standard.so", "lib/cmake/sluice/sluiceConfig.cmake",
                         "lib/cmake/sluice/SluicePlugin.cmake"):
            harness.check(os.path.exists(os.path.join(prefix, relative)), f"not installed: {relative}")
        libs = os.listdir(os.path.join(prefix, "lib"))
        harness.check("libsluice.so" in libs and "libsluice_testkit.so" in libs, f"lib/ holds {libs}")

        build = os.path.join(tmp, "example-build")
        configure = ["cmake", "-S", EXAMPLE, "-B", build, "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={prefix}",
                     "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]
        if shutil.which("ccache"):
            configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
        sh(*configure)
        sh("cmake", "--build", build, "-j", "2")
        tests = sh("ctest", "--test-dir", build, "--output-on-failure")
        print(next(line for line in tests.stdout.splitlines() if "tests passed" in line))
        harness.check("tests passed" in tests.stdout, tests.stdout)

        sluice = os.path.join(prefix, "bin", "sluice")
        listed = sh(sluice, "processors", "--plugins", build, env=clean_env()).stdout
        harness.check("FilterLines" in listed and "GetFile" in listed, f"processors:\n{listed}")

        work = os.path.join(tmp, "work")
        os.makedirs(os.path.join(work, "in"))
        inputs = {"app.log": "INFO start\nERROR disk full\nINFO retry\nERROR gave up\n",
                  "quiet.log": "INFO all good\n"}
        for name, text in inputs.items():
            with open(os.path.join(work, "in", name), "w") as f:
                f.write(text)
        shutil.copy(os.path.join(EXAMPLE, "flow.yaml"), work)
        sh(sluice, "validate", "--plugins", build, "flow.yaml", cwd=work, env=clean_env())
        sh(sluice, "run", "--plugins", build, "flow.yaml", "--until-idle", "--data-dir", "data", cwd=work,
           env=clean_env(), timeout=300)

        errors = os.path.join(work, "out", "errors")
        clean = os.path.join(work, "out", "clean")
        harness.check(sorted(os.listdir(errors)) == ["app.log"], f"out/errors: {os.listdir(errors)}")
        harness.check(read(os.path.join(errors, "app.log")) == "ERROR disk full\nERROR gave up\n",
                      read(os.path.join(errors, "app.log")))
        harness.check(sorted(os.listdir(clean)) == ["quiet.log"], f"out/clean: {os.listdir(clean)}")
        harness.check(read(os.path.join(clean, "quiet.log")) == inputs["quiet.log"], "quiet.log changed")
        harness.check(not os.listdir(os.path.join(work, "in")), "GetFile left input files behind")
    print("SDK example test passed")


if __name__ == "__main__":
    harness.run_test(main)
