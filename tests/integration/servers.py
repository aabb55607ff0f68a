"""Real servers for tests, started on 127.0.0.1 and free ports from the project's own fixtures, and stopped
by their PID even when a test fails.

As a module (integration tests):

    with servers.Sshd() as sshd:          # openssh sshd with a test user, a client key and known_hosts
        ...sshd.port, sshd.root, sshd.key, sshd.known_hosts, sshd.sftp_batch("put a b")...
    with servers.HttpEndpoint() as web:   # an independent Python HTTP server that records what it received
        ...
    with servers.Postgres() as pg:        # PostgreSQL 15 (initdb + pg_ctl as user postgres), trust auth
        ...pg.port, pg.psql("SELECT 1")...
    with servers.RabbitMq() as broker:    # rabbitmq-server (AMQP 0-9-1; plugins=["rabbitmq_amqp1_0"]: also 1.0)
        ...broker.port, broker.stop_broker() / broker.start_broker() (an outage), broker.ctl("list_queues")...
    with servers.ActiveMq() as amq:       # ActiveMQ 5.17 with STOMP and OpenWire connectors
        ...amq.stomp_port, amq.openwire_port...

As a program (C++ tests, through SLUICE_TEST_SERVERS set by CTest): `servers.py sshd`,
`servers.py http [--tls]`, `servers.py postgres`, `servers.py rabbitmq [--tls] [--plugin NAME]...` (e.g.
`--plugin rabbitmq_amqp1_0`) or `servers.py activemq` starts the server, prints one JSON line describing it,
and serves until its standard input closes (the test ended, or crashed) or it gets SIGTERM; then it stops the
server and removes its files.

Readiness is checked by polling the protocol with a bounded timeout, never by sleeping a fixed time.
"""
import base64
import contextlib
import http.server
import json
import os
import pwd
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time

SSHD = os.environ.get("SLUICE_SSHD", "/usr/sbin/sshd")
RABBITMQ_BIN = "/usr/lib/rabbitmq/bin"
TEST_USER = "sluicesftp"
TEST_PASSWORD = "sluice-test-password"
READY_TIMEOUT = 20.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_text(path):
    """A server's log, or "" when it wrote none."""
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise RuntimeError(f"{what} not ready within {timeout} s")


def _banner(port, prefix):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            return s.recv(64).startswith(prefix)
    except OSError:
        return False


def terminate(proc, timeout=30):
    """Stops a process we started: SIGTERM, then SIGKILL when it has not exited within `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _Server:
    """A server used as a context manager: started on entry, stopped (and its files removed) on exit."""

    def read_log(self):
        """What the server wrote to its log file `self.log`, or "" when there is none."""
        return read_text(self.log)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def ensure_test_user():
    """A local account for SFTP logins: key or password (UsePAM no needs a usable password hash)."""
    try:
        pwd.getpwnam(TEST_USER)
    except KeyError:
        _run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
             "/usr/sbin/nologin", TEST_USER)
    hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=TEST_PASSWORD, capture_output=True,
                            text=True, check=True).stdout.strip()
    _run("usermod", "-p", hashed, TEST_USER)
    entry = pwd.getpwnam(TEST_USER)
    return entry.pw_uid, entry.pw_gid


class Sshd(_Server):
    """openssh sshd for SFTP: own host key, a client key authorized for TEST_USER, known_hosts files (right
    and wrong), and `root`, a directory the user owns where tests put and find files."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sluice-sshd-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.user = TEST_USER
        self.password = TEST_PASSWORD
        self.root = os.path.join(self.dir, "root")
        self.key = os.path.join(self.dir, "client_key")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        self.wrong_known_hosts = os.path.join(self.dir, "wrong_known_hosts")
        self.log = os.path.join(self.dir, "sshd.log")
        self.proc = None

    def start(self):
        uid, gid = ensure_test_user()
        os.makedirs("/run/sshd", exist_ok=True)
        os.makedirs(self.root)
        os.chown(self.root, uid, gid)
        host_key = os.path.join(self.dir, "host_key")
        other_key = os.path.join(self.dir, "other_host_key")
        for key in (host_key, other_key, self.key):
            _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
        shutil.copy(self.key + ".pub", os.path.join(self.dir, f"authorized_keys_{TEST_USER}"))
        with open(host_key + ".pub") as f:
            kind, blob = f.read().split()[:2]
        with open(self.known_hosts, "w") as f:
            f.write(f"[127.0.0.1]:{self.port} {kind} {blob}\n")
        with open(other_key + ".pub") as f:
            kind, blob = f.read().split()[:2]
        with open(self.wrong_known_hosts, "w") as f:
            f.write(f"[127.0.0.1]:{self.port} {kind} {blob}\n")
        config = os.path.join(self.dir, "sshd_config")
        with open(config, "w") as f:
            f.write(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {self.dir}/sshd.pid
AuthorizedKeysFile {self.dir}/authorized_keys_%u
UsePAM no
StrictModes no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers {TEST_USER}
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp internal-sftp
Match User {TEST_USER}
  ForceCommand internal-sftp
""")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", config, "-E", self.log],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: self.proc.poll() is None and _banner(self.port, b"SSH-2.0"), READY_TIMEOUT, "sshd")
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"sshd did not start: {self.read_log()}")
        return self


    def own(self, path):
        """Makes a file or directory the tests created under root belong to the test user."""
        uid, gid = pwd.getpwnam(TEST_USER).pw_uid, pwd.getpwnam(TEST_USER).pw_gid
        os.chown(path, uid, gid)

    def sftp_batch(self, commands):
        """Runs the OpenSSH `sftp` client (an independent client) with batch commands; returns stdout."""
        batch = os.path.join(self.dir, "batch")
        with open(batch, "w") as f:
            f.write(commands)
        proc = subprocess.run(["sftp", "-b", batch, "-i", self.key, "-P", str(self.port),
                               "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "StrictHostKeyChecking=yes",
                               "-o", "BatchMode=yes", f"{TEST_USER}@127.0.0.1"],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError(f"sftp failed ({proc.returncode}): {proc.stderr}")
        return proc.stdout

    def describe(self):
        return {"host": "127.0.0.1", "port": self.port, "user": self.user, "password": self.password,
                "root": self.root, "private_key_file": self.key, "known_hosts_file": self.known_hosts,
                "wrong_known_hosts_file": self.wrong_known_hosts, "log": self.log, "pid": self.proc.pid}

    def stop(self):
        terminate(self.proc, timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers by path: /status/NNN answers NNN, /slow/MS waits MS before answering 200, anything else 200
    with the request body echoed. Records every request (method, path, headers, body)."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.record({"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                            "body": base64.b64encode(body).decode(), "client_port": self.client_address[1]})
        status, reply = 200, body
        if self.path.startswith("/status/"):
            status, reply = int(self.path.split("/")[2]), b"status reply\n"
        elif self.path.startswith("/slow/"):
            time.sleep(int(self.path.split("/")[2]) / 1000.0)
        self.send_response(status)
        self.send_header("Content-Type", "application/x-echo")
        self.send_header("X-Served-By", "servers.py")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, *args, on_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()
        self.requests = []
        self.on_request = on_request

    def record(self, r):
        with self.lock:
            self.requests.append(r)
        if self.on_request:
            self.on_request(r)


def make_certificate(directory, name="localhost"):
    """A self-signed certificate for 127.0.0.1/localhost (the CA file is the certificate itself)."""
    cert, key = os.path.join(directory, f"{name}.pem"), os.path.join(directory, f"{name}.key")
    _run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
    return cert, key


class HttpEndpoint:
    """An independent HTTP(S) server (Python's http.server) that records the requests it receives."""

    def __init__(self, tls=False, on_request=None):
        self.dir = tempfile.mkdtemp(prefix="sluice-http-")
        self.tls = tls
        self.on_request = on_request
        self.server = None
        self.thread = None
        self.ca_file = None

    def start(self):
        self.server = _ThreadingServer(("127.0.0.1", 0), _Recorder, on_request=self.on_request)
        if self.tls:
            cert, key = make_certificate(self.dir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.ca_file = cert
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        scheme = "https" if self.tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        wait_until(lambda: _connectable(self.port), READY_TIMEOUT, "http endpoint")
        return self

    @property
    def requests(self):
        with self.server.lock:
            return list(self.server.requests)

    def describe(self):
        return {"url": self.url, "port": self.port, "ca_file": self.ca_file, "dir": self.dir}

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


PG_BIN = os.environ.get("SLUICE_PG_BIN", "/usr/lib/postgresql/15/bin")
PG_USER = "postgres"
PG_DATABASE = "sluice"


class Postgres(_Server):
    """PostgreSQL for the database processors: a fresh cluster (initdb, trust authentication for the
    superuser `postgres`) on 127.0.0.1 and a free port, its socket in its own directory, a database `sluice`.
    initdb and pg_ctl refuse to run as root, so they run as the system user postgres (runuser)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sluice-pg-")
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.sockets = os.path.join(self.dir, "sockets")
        self.log = os.path.join(self.dir, "postgres.log")
        self.port = free_port()
        self.user = PG_USER
        self.database = PG_DATABASE
        self.started = False

    def _as_postgres(self, *cmd, **kwargs):
        return subprocess.run(["runuser", "-u", PG_USER, "--", *cmd], check=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, **kwargs)

    def start(self):
        entry = pwd.getpwnam(PG_USER)
        os.makedirs(self.sockets)
        for path in (self.dir, self.sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        try:
            self._as_postgres(f"{PG_BIN}/initdb", "-D", self.data, "-U", PG_USER, "-A", "trust", "--no-sync",
                              "-E", "UTF8", "--locale", "C")
            self.resume()  # pg_ctl -w waits for the server itself, bounded by -t
            self.started = True
            wait_until(lambda: subprocess.run([f"{PG_BIN}/pg_isready", "-q", "-h", "127.0.0.1", "-p",
                                               str(self.port)]).returncode == 0, READY_TIMEOUT, "postgres")
            self.psql(f"CREATE DATABASE {PG_DATABASE}", database="postgres")
        except (subprocess.CalledProcessError, RuntimeError) as e:
            detail = e.stderr.decode(errors="replace") if isinstance(e, subprocess.CalledProcessError) else str(e)
            self.stop()
            raise RuntimeError(f"postgres did not start: {detail} {self.read_log()}")
        return self

    def psql(self, sql, database=None):
        """Runs SQL with the psql client (an independent client); returns unaligned, tab-separated rows."""
        proc = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                               "-p", str(self.port), "-U", PG_USER, "-d", database or PG_DATABASE, "-c", sql],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError(f"psql failed ({proc.returncode}): {proc.stderr}")
        return proc.stdout

    def pause(self):
        """Stops the server (its data stays), to test what clients do while the database is down."""
        self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop")

    def resume(self):
        """Starts the paused server again on the same port."""
        self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", str(int(READY_TIMEOUT)),
                          "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets} -c fsync=off",
                          "start")

    def describe(self):
        return {"host": "127.0.0.1", "port": self.port, "user": self.user, "database": self.database,
                "socket_dir": self.sockets, "log": self.log}

    def stop(self):
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", "30", "stop")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


def _amqp_handshake(port):
    """True once the broker answers an AMQP 0-9-1 protocol header with connection.start (a method frame)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"AMQP\x00\x00\x09\x01")
            frame = s.recv(7)
            return len(frame) == 7 and frame[0] == 1  # frame type 1: method (connection.start)
    except OSError:
        return False


class RabbitMq(_Server):
    """rabbitmq-server on 127.0.0.1: its own epmd, node directory, AMQP port (and a TLS port with a
    self-signed certificate when tls=True). stop_broker()/start_broker() make an outage with the same port and
    data directory, so durable queues and persistent messages survive it. `plugins` are enabled at start, e.g.
    ["rabbitmq_amqp1_0"], which makes the same ports speak AMQP 1.0 too."""

    READY = 60.0

    def __init__(self, tls=False, plugins=()):
        self.dir = tempfile.mkdtemp(prefix="sluice-rabbitmq-")
        self.tls = tls
        self.plugins = list(plugins)
        self.port = free_port()
        self.tls_port = free_port() if tls else None
        self.epmd_port = free_port()
        self.dist_port = free_port()
        self.user, self.password = "guest", "guest"
        self.ca_file = None
        self.epmd = None
        self.proc = None
        self.log = os.path.join(self.dir, "server.out")

    def _env(self):
        env = dict(os.environ)
        env.update({
            "HOME": self.dir,
            "RABBITMQ_NODENAME": "rabbit@localhost",
            "RABBITMQ_MNESIA_BASE": os.path.join(self.dir, "mnesia"),
            "RABBITMQ_LOG_BASE": os.path.join(self.dir, "log"),
            "RABBITMQ_CONFIG_FILE": os.path.join(self.dir, "rabbitmq"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(self.dir, "enabled_plugins"),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_EPMD_PORT": str(self.epmd_port),
        })
        return env

    def start(self):
        with open(os.path.join(self.dir, "enabled_plugins"), "w") as f:
            f.write(f"[{','.join(self.plugins)}].\n")
        config = [f"listeners.tcp.1 = 127.0.0.1:{self.port}", "loopback_users = none"]
        if self.tls:
            cert, key = make_certificate(self.dir)
            self.ca_file = cert
            config += [f"listeners.ssl.1 = 127.0.0.1:{self.tls_port}", f"ssl_options.cacertfile = {cert}",
                       f"ssl_options.certfile = {cert}", f"ssl_options.keyfile = {key}",
                       "ssl_options.verify = verify_none", "ssl_options.fail_if_no_peer_cert = false"]
        with open(os.path.join(self.dir, "rabbitmq.conf"), "w") as f:
            f.write("\n".join(config) + "\n")
        self.epmd = subprocess.Popen(["epmd", "-address", "127.0.0.1", "-port", str(self.epmd_port)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: _connectable(self.epmd_port), READY_TIMEOUT, "epmd")
            self.start_broker()
        except Exception:
            self.stop()
            raise
        return self

    def start_broker(self):
        """Starts the node (again, after stop_broker) and waits until it answers the AMQP handshake."""
        out = open(self.log, "a")
        self.proc = subprocess.Popen([os.path.join(RABBITMQ_BIN, "rabbitmq-server")], env=self._env(),
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        out.close()
        try:
            wait_until(lambda: self.proc.poll() is None and _amqp_handshake(self.port), self.READY, "rabbitmq")
        except RuntimeError:
            raise RuntimeError(f"rabbitmq did not start: {self.read_log()[-3000:]}")

    def stop_broker(self):
        """Stops the node (SIGTERM to its process group: the shell script and the Erlang VM) and waits."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # The VM may outlive the script a moment: wait until the port is free.
        wait_until(lambda: not _connectable(self.port), 30, "rabbitmq shutdown")
        self.proc = None

    def ctl(self, *args):
        """rabbitmqctl against this node; returns stdout."""
        proc = subprocess.run([os.path.join(RABBITMQ_BIN, "rabbitmqctl"), "-n", "rabbit@localhost", "-q", *args],
                              env=self._env(), capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError(f"rabbitmqctl {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout


    def describe(self):
        return {"host": "127.0.0.1", "port": self.port, "tls_port": self.tls_port, "ca_file": self.ca_file,
                "user": self.user, "password": self.password, "dir": self.dir, "plugins": self.plugins,
                "pid": self.proc.pid if self.proc else None}

    def stop(self):
        with contextlib.suppress(Exception):
            self.stop_broker()
        terminate(self.epmd)
        shutil.rmtree(self.dir, ignore_errors=True)


ACTIVEMQ_HOME = "/usr/share/activemq"


def activemq_classpath():
    """The jars a plain Java JMS client compiles and runs against."""
    lib = os.path.join(ACTIVEMQ_HOME, "lib")
    jars = [os.path.join(lib, n) for n in sorted(os.listdir(lib)) if n.endswith(".jar")]
    return ":".join(jars)


class ActiveMq(_Server):
    """Apache ActiveMQ 5.17 (java -jar, not /usr/bin/activemq) with its own activemq.xml: an OpenWire connector
    (for the Java JMS client) and a STOMP connector (for sluice) on 127.0.0.1 and free ports; persistent."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sluice-activemq-")
        self.stomp_port = free_port()
        self.openwire_port = free_port()
        self.proc = None
        self.log = os.path.join(self.dir, "activemq.out")

    def start(self):
        conf = os.path.join(self.dir, "conf")
        os.makedirs(conf)
        os.makedirs(os.path.join(self.dir, "data"))
        with open(os.path.join(conf, "activemq.xml"), "w") as f:
            f.write(f"""<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="sluice-test" useJmx="false"
          persistent="true" dataDirectory="{self.dir}/data">
    <transportConnectors>
      <transportConnector name="openwire" uri="tcp://127.0.0.1:{self.openwire_port}"/>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:{self.stomp_port}"/>
    </transportConnectors>
  </broker>
</beans>
""")
        with open(os.path.join(conf, "log4j.properties"), "w") as f:
            f.write("log4j.rootLogger=WARN, out\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\n"
                    "log4j.appender.out.layout=org.apache.log4j.PatternLayout\n"
                    "log4j.appender.out.layout.ConversionPattern=%d %-5p %c - %m%n\n")
        opens = []
        for module in ("java.lang", "java.util", "java.util.concurrent", "java.net"):
            opens += ["--add-opens", f"java.base/{module}=ALL-UNNAMED"]
        out = open(self.log, "w")
        self.proc = subprocess.Popen(
            ["java", "-Xmx256m", *opens, f"-Dactivemq.home={ACTIVEMQ_HOME}", f"-Dactivemq.base={self.dir}",
             f"-Dactivemq.conf={conf}", f"-Dactivemq.data={self.dir}/data", f"-Dactivemq.classpath={conf}",
             "-jar", os.path.join(ACTIVEMQ_HOME, "bin", "activemq.jar"), "start",
             f"xbean:file:{conf}/activemq.xml"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        try:
            wait_until(lambda: self.proc.poll() is None and _stomp_connected(self.stomp_port), 60, "activemq")
        except RuntimeError:
            log = self.read_log()
            self.stop()
            raise RuntimeError(f"activemq did not start: {log[-3000:]}")
        return self


    def describe(self):
        return {"host": "127.0.0.1", "stomp_port": self.stomp_port, "openwire_port": self.openwire_port,
                "broker_url": f"tcp://127.0.0.1:{self.openwire_port}", "classpath": activemq_classpath(),
                "dir": self.dir, "pid": self.proc.pid if self.proc else None}

    def stop(self):
        terminate(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


def _stomp_connected(port):
    """True once the broker answers a STOMP CONNECT with CONNECTED."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"CONNECT\naccept-version:1.2\nhost:localhost\n\n\x00")
            return s.recv(9) == b"CONNECTED"
    except OSError:
        return False


def _connectable(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for_port(port, timeout=READY_TIMEOUT):
    wait_until(lambda: _connectable(port), timeout, f"port {port}")


def main(argv):
    """Serve one server for a C++ test until stdin closes or SIGTERM."""
    kind = argv[1] if len(argv) > 1 else ""
    if kind == "sshd":
        server = Sshd()
    elif kind == "http":
        # --record FILE: a JSON line per request received, for the test to read.
        recorded = argv[argv.index("--record") + 1] if "--record" in argv else None
        sink = open(recorded, "a") if recorded else None

        def on_request(r):
            if sink:
                sink.write(json.dumps(r) + "\n")
                sink.flush()
        server = HttpEndpoint(tls="--tls" in argv, on_request=on_request)
    elif kind == "postgres":
        server = Postgres()
    elif kind == "rabbitmq":
        plugins = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--plugin"]
        server = RabbitMq(tls="--tls" in argv, plugins=plugins)
    elif kind == "activemq":
        server = ActiveMq()
    else:
        print("usage: servers.py sshd | http [--tls] [--record FILE] | postgres | "
              "rabbitmq [--tls] [--plugin NAME]... | activemq", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with server:
        print(json.dumps(server.describe()), flush=True)
        with contextlib.suppress(Exception):
            sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
