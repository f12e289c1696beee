#!/usr/bin/env python3
"""The measurements of `make bench`, run by bench/run.sh once it has started
a private libvirt session daemon and bench/proxy.py in front of it.  Makes
the fixtures on that daemon, measures vmmanager and virsh doing the same
work, and prints one table.  bench/README.md says what each number is.
"""
import argparse
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures  # noqa: E402
import term  # noqa: E402

REMOTE = 0x20008086     # libvirt's remote program
KEEPALIVE = 0x6B656570  # "keep"
CALL, REPLY = 0, 1
# Procedure numbers of libvirt's remote protocol (remote_protocol.x) that
# the tools here use, to name them in the notes.
PROC = {
    1: "open", 2: "close", 3: "get_type", 4: "get_version",
    14: "dom_get_xml", 16: "dom_get_info", 23: "dom_lookup_by_name",
    59: "get_hostname", 60: "supports_feature", 66: "auth_list",
    97: "vol_lookup_by_path", 98: "vol_get_info", 99: "vol_get_xml",
    110: "get_uri", 157: "get_lib_version", 183: "dom_has_managed_save",
    186: "snap_get_xml", 187: "snap_num", 189: "snap_lookup_by_name",
    190: "dom_has_current_snap", 191: "snap_current", 212: "dom_get_state",
    244: "snap_get_parent", 246: "snap_num_children",
    271: "snap_is_current", 272: "snap_has_metadata",
    273: "list_all_domains", 274: "list_all_snapshots",
    275: "snap_list_all_children", 316: "event_register",
    317: "event_deregister", 344: "get_all_domain_stats",
    360: "close_callback_register", 361: "close_callback_unregister",
}
# What libvirt's own virConnectOpen sends on a unix socket.
OPEN_PROCS = {66, 60, 1}

VM_ROW = re.compile(r"^[> ](bench-\S+|vm-\d{4})\s")
SNAP_ROW = re.compile(r"snap-\d{3}")


def proc_name(p):
    return PROC.get(p, "proc_%d" % p)


def die(msg):
    raise SystemExit("bench: " + msg)


# -- the proxy's log ---------------------------------------------------------

class Msg:
    __slots__ = ("t_in", "t_out", "conn", "dir", "prog", "proc", "typ", "serial")

    def __init__(self, line):
        f = line.split()
        self.t_in, self.t_out = float(f[0]), float(f[1])
        self.conn, self.dir = int(f[2]), f[4]
        self.prog, self.proc = int(f[5], 16), int(f[6])
        self.typ, self.serial = int(f[7]), int(f[8])


class ProxyLog:
    def __init__(self, path):
        self.path = path

    def mark(self):
        return os.path.getsize(self.path)

    def since(self, mark, settle=0.2):
        time.sleep(settle)  # the last messages are still on their way
        with open(self.path) as f:
            f.seek(mark)
            return [Msg(l) for l in f.read().splitlines() if l.strip()]


def rpc_after_connect(msgs, t_end):
    """What a client sent between the end of virConnectOpen on its first
    connection and the last reply it got by T_END: (time connected, calls,
    round trips, calls per round trip).  A round trip starts with a call
    sent after a reply to a call of the previous one came back; calls sent
    before that ride in the same round trip."""
    calls = sorted((m for m in msgs if m.dir == "C" and m.typ == CALL and m.prog == REMOTE),
                   key=lambda m: m.t_in)
    if not calls:
        return None
    replies = {(m.conn, m.serial): m.t_out for m in msgs
               if m.dir == "S" and m.typ == REPLY and m.prog == REMOTE}
    # The client's first connection is the first to open in this part of
    # the log; a program kept running from before (still reading details
    # behind its screen) may have calls here too, on connections it
    # opened earlier.
    starts = {}
    for c in calls:
        starts.setdefault(c.conn, c.proc)
    first = next((c.conn for c in calls if starts[c.conn] in OPEN_PROCS), None)
    if first is None:
        return None
    calls = [c for c in calls if starts[c.conn] in OPEN_PROCS]
    ours = {c.conn for c in calls}
    replies = {k: t for k, t in replies.items() if k[0] in ours}
    t_conn, opened = None, False
    for c in calls:
        if c.conn != first:
            continue
        if c.proc not in OPEN_PROCS:
            break
        opened |= c.proc == 1
        t_conn = replies.get((c.conn, c.serial), t_conn)
    if not opened or t_conn is None:
        return None
    # What came back by T_END is all that can have shaped what was shown
    # then: calls sent after the last of those replies (the details behind
    # the list, say) are not counted.
    last = max((t for t in replies.values() if t <= t_end), default=t_conn)
    after = [c for c in calls if t_conn <= c.t_in < last]
    waves = []
    for c in after:
        if not waves or any(replies.get((p.conn, p.serial), float("inf")) <= c.t_in
                            for p in waves[-1]):
            waves.append([c])
        else:
            waves[-1].append(c)
    return {"t_connected": t_conn, "calls": len(after), "round_trips": len(waves),
            "waves": [[(c.conn, proc_name(c.proc)) for c in w] for w in waves]}


def waves_between(msgs, t0, t_end):
    """The calls a client already connected sent from T0 (a key) until
    the last reply it got by T_END, in round trips as rpc_after_connect
    counts them."""
    calls = sorted((m for m in msgs if m.dir == "C" and m.typ == CALL and m.prog == REMOTE
                    and m.t_in >= t0), key=lambda m: m.t_in)
    replies = {(m.conn, m.serial): m.t_out for m in msgs
               if m.dir == "S" and m.typ == REPLY and m.prog == REMOTE}
    last = max((replies[(c.conn, c.serial)] for c in calls
                if replies.get((c.conn, c.serial), float("inf")) <= t_end), default=t0)
    after = [c for c in calls if c.t_in < last]
    waves = []
    for c in after:
        if not waves or any(replies.get((p.conn, p.serial), float("inf")) <= c.t_in
                            for p in waves[-1]):
            waves.append([c])
        else:
            waves[-1].append(c)
    return {"calls": len(after), "round_trips": len(waves),
            "waves": [[(c.conn, proc_name(c.proc)) for c in w] for w in waves]}


def peak_in_flight(msgs):
    """The most calls one connection had sent and not yet had answered,
    at the proxy (a call counts from its arrival to its reply leaving)."""
    ev = []
    sent = {(m.conn, m.serial): m.t_in for m in msgs
            if m.dir == "C" and m.typ == CALL and m.prog == REMOTE}
    for m in msgs:
        if m.dir == "S" and m.typ == REPLY and m.prog == REMOTE and (m.conn, m.serial) in sent:
            ev.append((sent[(m.conn, m.serial)], 1, m.conn))
            ev.append((m.t_out, -1, m.conn))
    ev.sort()
    now, peak = {}, 0
    for _, d, c in ev:
        now[c] = now.get(c, 0) + d
        peak = max(peak, now[c])
    return peak


def describe_waves(waves):
    """The calls of each round trip, in order: 'get_hostname, conn2:open,
    (vol_lookup_by_path, vol_get_xml) in 20 round trips alike, ...'; "x3"
    counts calls of one round trip; a call on another connection than the
    first is prefixed with that connection."""
    first = waves[0][0][0] if waves else 0
    parts = []
    for w in waves:
        names = {}
        for conn, name in w:
            label = name if conn == first else "conn%d:%s" % (conn - first + 1, name)
            names[label] = names.get(label, 0) + 1
        parts.append("+".join(n if k == 1 else "%s x%d" % (n, k) for n, k in names.items()))
    out, i = [], 0
    while i < len(parts):
        best_p, best_k = 1, 1
        for p in (1, 2, 3):
            k = 1
            while (i + (k + 1) * p <= len(parts)
                   and parts[i + k * p:i + (k + 1) * p] == parts[i:i + p]):
                k += 1
            if k > 1 and k * p > best_k * best_p:
                best_p, best_k = p, k
        if best_k > 1:
            group = ", ".join(parts[i:i + best_p])
            out.append("(%s) in %d round trips alike" % (group, best_k * best_p))
        else:
            out.append(parts[i])
        i += best_p * best_k
    return ", ".join(out)


# -- processes ---------------------------------------------------------------

def run_cli(argv, env=None):
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, env=env)
    t1 = time.monotonic()
    if p.returncode != 0:
        die("%s exited %d:\n%s" % (" ".join(shlex.quote(a) for a in argv[:6]),
                                   p.returncode, p.stderr[-2000:]))
    return {"t0": t0, "t1": t1, "secs": t1 - t0, "out": p.stdout}


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def repeat(fn, key="secs", cheap=2.0, times=3):
    """Runs fn(); again TIMES-1 more times when a run takes under CHEAP s;
    returns the run with the median KEY and how many runs there were."""
    runs = [fn()]
    if runs[0][key] < cheap:
        runs += [fn() for _ in range(times - 1)]
    runs.sort(key=lambda r: r[key])
    best = dict(runs[(len(runs) - 1) // 2])
    best["runs"] = len(runs)
    return best


# -- screen predicates -------------------------------------------------------

def vm_rows(screen):
    return [l for l in screen.text() if VM_ROW.match(l)]


def last_screen_filled(s):
    """The selection on the last VM row (after G), every row's details in:
    the details come in the list's order, so all of them are known."""
    rows = vm_rows(s)
    return bool(rows) and rows[-1].startswith(">") and details_filled(s)


def list_shown(n):
    need = min(n, 10)
    return lambda s: len(vm_rows(s)) >= need


def column_values(screen, name):
    """The values under the heading NAME (right-aligned) in the VM rows."""
    head = next((l for l in screen.text() if " SNAPS " in l and " CHAIN " in l), None)
    if head is None:
        return None
    end = head.index(name) + len(name)
    return [r[end - len(name):end].strip() for r in vm_rows(screen)]


def details_filled(s):
    for col in ("SNAPS", "CHAIN"):
        vals = column_values(s, col)
        if not vals or not all(v.isdigit() for v in vals):
            return False
    return True


# -- the benchmark -----------------------------------------------------------

class Bench:
    def __init__(self, a):
        self.a = a
        self.vmm = os.path.abspath(a.vmmanager)
        self.log = ProxyLog(a.log)
        self.uri = {0: "qemu+unix:///session?socket=%s" % a.proxy0,
                    a.delay: "qemu+unix:///session?socket=%s" % a.proxy}
        self.delays = [0, a.delay]
        cfg = os.path.join(a.work, "config")
        os.makedirs(cfg, exist_ok=True)
        base = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "LIBVIRT_DEFAULT_URI", "LC_ALL", "LANG")}
        # The program's defaults: no config file, colours, UTF-8.
        self.tui_env = dict(base, TERM="xterm-256color", LANG="C.UTF-8",
                            XDG_CONFIG_HOME=cfg)
        self.cli_env = dict(base, LANG="C.UTF-8", XDG_CONFIG_HOME=cfg)
        self.owner = None
        if a.user and os.geteuid() == 0:
            import pwd
            pw = pwd.getpwnam(a.user)
            self.owner = (pw.pw_uid, pw.pw_gid)
        self.r = {}

    def note(self, msg):
        print("bench: " + msg, file=sys.stderr, flush=True)

    # fixtures

    def fixtures_first(self):
        a = self.a
        t0 = time.monotonic()
        fixtures.define_special(a.work, a.img, a.direct_uri, self.owner)
        fixtures.define_vms(a.work, a.img, a.direct_uri, 1, 50 - fixtures.SPECIAL, self.owner)
        fixtures.run(["virsh", "-q", "-c", a.direct_uri, "pool-define-as", "bench", "dir",
                      "--target", a.img])
        fixtures.run(["virsh", "-q", "-c", a.direct_uri, "pool-start", "bench"])
        self.r["setup50"] = time.monotonic() - t0

    def fixtures_grow(self):
        a = self.a
        t0 = time.monotonic()
        fixtures.define_vms(a.work, a.img, a.direct_uri, 51 - fixtures.SPECIAL, 450, self.owner)
        fixtures.run(["virsh", "-q", "-c", a.direct_uri, "pool-refresh", "bench"])
        self.r["setup500"] = time.monotonic() - t0

    # vmmanager under a pseudo-terminal

    def tui(self, uri, rows=24, cols=80):
        return term.Pty([self.vmm, "-c", uri], rows, cols, self.tui_env)

    def other_client(self, stop, out):
        """Another client of the daemon: virsh list --all on the daemon's
        own socket, again and again until STOP; each run's time in OUT."""
        while not stop.is_set():
            out.append(run_cli(["virsh", "-c", self.a.direct_uri, "list", "--all"],
                               self.cli_env)["secs"])

    def tui_list(self, uri, n, details, keep=False, proxied=True, probe=False):
        """Starts the program and times the list, and the details columns
        when DETAILS; with KEEP the running Pty is returned in "pty". With
        PROBE, another client lists the VMs over and over meanwhile."""
        mark = self.log.mark() if proxied else None
        stop, probes = threading.Event(), []
        p = self.tui(uri)
        r = {"t0": p.t_start}
        if probe:
            prober = threading.Thread(target=self.other_client, args=(stop, probes), daemon=True)
            prober.start()
        try:
            t = p.wait_for(list_shown(n), 180)
            if t is None:
                die("the VM list never showed on %s:\n%s" % (uri, p.screen.dump()))
            r["t_list"] = t
            r["t_first"] = p.t_first
            if details:
                t = p.wait_for(details_filled, 600)
                if t is None:
                    die("the details never filled on %s:\n%s" % (uri, p.screen.dump()))
                r["t_details"] = t
                # Then the last screenful: every VM's details.
                os.write(p.master, b"G")
                t = p.wait_for(last_screen_filled, 600)
                if t is None:
                    die("the details never filled at the end of the list on %s:\n%s"
                        % (uri, p.screen.dump()))
                r["t_details_all"] = t
                os.write(p.master, b"g")
        except BaseException:
            p.close()
            raise
        finally:
            if probe:
                stop.set()
                prober.join()
                r["probes"] = probes
        if keep:
            r["pty"] = p
        else:
            p.close()
        r["secs"] = r["t_list"] - r["t0"]
        if proxied:
            msgs = self.log.since(mark)
            rpc = rpc_after_connect(msgs, r["t_list"])
            if rpc is None:
                die("no connection seen in the proxy's log")
            r["rpc"] = rpc
            if details:
                r["rpc_details"] = rpc_after_connect(msgs, r["t_details"])
                r["rpc_details_all"] = rpc_after_connect(msgs, r["t_details_all"])
                r["peak"] = peak_in_flight(msgs)
            r["connect"] = rpc["t_connected"] - r["t0"]
            r["list_after"] = r["t_list"] - rpc["t_connected"]
        else:
            # No proxy (test driver): the first frame comes once connected.
            r["connect"] = r["t_first"] - r["t0"]
            r["list_after"] = r["t_list"] - r["t_first"]
        if details:
            r["details_after"] = r["t_details"] - (r["t0"] + r["connect"])
            r["details_all_after"] = r["t_details_all"] - (r["t0"] + r["connect"])
        return r

    def cli(self, argv, proxied=True):
        """Runs ARGV to its end; through the proxy, also what it sent."""
        mark = self.log.mark() if proxied else None
        r = run_cli(argv, self.cli_env)
        if proxied:
            rpc = rpc_after_connect(self.log.since(mark), r["t1"])
            if rpc is None:
                die("no connection of %s seen in the proxy's log" % argv[0])
            r["rpc"] = rpc
            r["connect"] = rpc["t_connected"] - r["t0"]
            r["after"] = r["t1"] - rpc["t_connected"]
        return r

    def virsh(self, uri, cmds, proxied=True):
        return self.cli(["virsh", "-c", uri, cmds], proxied)

    def virsh_timed(self, uri, cmd):
        """virsh -t: virsh times the command itself, without connecting."""
        r = self.cli(["virsh", "-t", "-c", uri, cmd], proxied=False)
        times = re.findall(r"^\(Time: ([0-9.]+) ms\)$", r["out"], re.M)
        if not times:
            die("virsh -t printed no time:\n" + r["out"][-500:])
        r["after"] = float(times[-1]) / 1000.0
        r["connect"] = r["secs"] - r["after"]
        return r

    # 1. the list, 50 and 500 VMs, both delays

    def session_list(self, n, tag, details_delays, keep_delay=None):
        for d in self.delays:
            self.note("%d VMs, %d ms: vmmanager list" % (n, d))
            keep = d == keep_delay
            first = self.tui_list(self.uri[d], n, d in details_delays, keep=keep, probe=keep)
            if keep:
                self.note("%d VMs: virsh list --all from another client, idle" % n)
                first["probes_idle"] = [run_cli(["virsh", "-c", self.a.direct_uri, "list", "--all"],
                                                self.cli_env)["secs"] for _ in range(5)]
            if keep:
                self.r["pty"] = first.pop("pty")
            self.r["%s.vmm.details.%d" % (tag, d)] = first
            # The list time is the median of up to three runs.
            more = []
            if first["secs"] < 2.0:
                more = [self.tui_list(self.uri[d], n, False) for _ in range(2)]
            runs = sorted([first] + more, key=lambda r: r["list_after"])
            best = dict(runs[(len(runs) - 1) // 2], runs=len(runs))
            self.r["%s.vmm.list.%d" % (tag, d)] = best
            self.note("%d VMs, %d ms: virsh list --all" % (n, d))
            v = repeat(lambda: self.virsh(self.uri[d], "list --all"), key="after")
            listed = re.findall(r"^\s*\S+\s+(?:bench-[\w-]+|vm-\d{4})\s", v["out"], re.M)
            if len(listed) != n:
                die("virsh list --all shows %d VMs, not %d:\n%s" % (len(listed), n, v["out"]))
            self.r["%s.virsh.list.%d" % (tag, d)] = v

    # 2. the snapshot tree and the chain

    def snapshots(self):
        names = ["snap-%03d" % i for i in range(fixtures.SNAPSHOTS)]
        cmds = "; ".join(["snapshot-list bench-snaps --tree"] +
                         ["snapshot-info bench-snaps " + s for s in names])
        for d in self.delays:
            self.note("200 snapshots, %d ms: vmmanager --print" % d)
            r = repeat(lambda: self.cli([self.vmm, "-c", self.uri[d], "--print", "bench-snaps"]))
            got = len([l for l in r["out"].splitlines()
                       if SNAP_ROW.search(l) and "Benchmark snapshot" in l])
            r["ok"] = got == fixtures.SNAPSHOTS
            self.r["snaps.vmm.%d" % d] = r
            self.note("200 snapshots, %d ms: virsh snapshot-list --tree + snapshot-info x200" % d)
            v = repeat(lambda: self.virsh(self.uri[d], cmds))
            v["ok"] = v["out"].count("Name:") == fixtures.SNAPSHOTS
            self.r["snaps.virsh.%d" % d] = v
            # virsh would take five times its 200-snapshot time: not run.
            self.note("1000 snapshots, %d ms: vmmanager --print" % d)
            mark = self.log.mark()
            r = repeat(lambda: self.cli([self.vmm, "-c", self.uri[d], "--print", "bench-snaps-1k"]))
            got = len([l for l in r["out"].splitlines()
                       if SNAP_ROW.search(l) and "Benchmark snapshot" in l])
            r["ok"] = got == fixtures.BIG_SNAPSHOTS
            r["peak"] = peak_in_flight(self.log.since(mark))
            self.r["snaps1k.vmm.%d" % d] = r

    def chain(self):
        for vm, tag, pat in (("bench-chain", "chain", r"chain-\d\d\.qcow2"),
                             ("bench-chain-odd", "odd", r"/[0-9a-f]{16}\.qcow2"),
                             ("bench-chain-live", "live", r"live-\d\d\.qcow2")):
            self.chain_of(vm, tag, pat)

    def chain_of(self, vm, tag, pat):
        for d in self.delays:
            self.note("10-layer chain of %s, %d ms: vmmanager --print" % (vm, d))
            r = repeat(lambda: self.cli([self.vmm, "-c", self.uri[d], "--print", vm]))
            r["ok"] = len(re.findall(pat, r["out"])) == fixtures.CHAIN
            self.r["%s.vmm.%d" % (tag, d)] = r
            self.note("10-layer chain of %s, %d ms: virsh domblklist + qemu-img info "
                      "--backing-chain" % (vm, d))

            def virsh_chain():
                t0 = time.monotonic()
                b = self.virsh(self.uri[d], "domblklist " + vm)
                top = [l.split(None, 1)[1].strip() for l in b["out"].splitlines()
                       if l.split()[:1] == ["vda"]]
                if not top:
                    die("virsh domblklist shows no vda:\n" + b["out"])
                # -U: a running VM's QEMU holds the images' locks.
                q = run_cli(["qemu-img", "info", "-U", "--backing-chain", top[0]], self.cli_env)
                return {"secs": q["t1"] - t0, "out": b["out"] + q["out"], "rpc": b["rpc"]}
            v = repeat(virsh_chain)
            v["ok"] = v["out"].count("image: ") == fixtures.CHAIN
            self.r["%s.virsh.%d" % (tag, d)] = v

    # 3. terminal output, on the 0 ms list of 500

    def terminal(self):
        self.note("terminal bytes: j, k, Ctrl-L, resize (500 VMs, 80x24)")
        p = self.tui(self.uri[0])
        try:
            if p.wait_for(list_shown(500), 120) is None or p.wait_for(details_filled, 300) is None:
                die("the list of 500 did not fill:\n" + p.screen.dump())
            # Every VM's details in, so that no answer redraws a row
            # while a key is measured.
            os.write(p.master, b"G")
            if p.wait_for(last_screen_filled, 300) is None:
                die("the list of 500 did not fill to its end:\n" + p.screen.dump())
            p.key(b"g", quiet=0.2)
            p.settle(0.5)
            moves = [p.key(k, quiet=0.2) for k in [b"j"] * 5 + [b"k"] * 2]
            ctrl_l = p.key(b"\x0c", quiet=0.1)
            p.settle(1.0)  # Ctrl-L also re-reads: let that come back first
            big = p.resize(30, 100)
            self.r["term"] = {"moves": moves, "ctrl_l": ctrl_l, "resize": big}
        finally:
            p.close()

    # 4. idle and 5. memory, on the 25 ms list of 500 kept open

    def idle_and_memory(self, p):
        secs = self.a.idle
        self.note("idle: %d s with 500 VMs listed (%d ms)" % (secs, self.a.delay))
        p.settle(1.0)
        # The rows off screen fill in behind the screen: idle begins once
        # the program has sent nothing for 2 s.
        end = time.monotonic() + 120
        while time.monotonic() < end:
            m = self.log.mark()
            time.sleep(2.0)
            if not any(x.dir == "C" and x.prog == REMOTE and x.typ == CALL
                       for x in self.log.since(m, settle=0)):
                break
        else:
            die("the program never stopped calling libvirt after its list filled")
        mark = self.log.mark()
        c0, t0 = cpu_seconds(p.pid), time.monotonic()
        nbytes = p.read_for(secs)
        c1, t1 = cpu_seconds(p.pid), time.monotonic()
        msgs = [m for m in self.log.since(mark) if m.dir == "C" and t0 <= m.t_in <= t1]
        api = {}
        for m in msgs:
            if m.prog == REMOTE and m.typ == CALL:
                api.setdefault(m.proc, []).append(m.t_in)
        gaps = [b - a for ts in api.values() for a, b in zip(ts, ts[1:])]
        self.r["idle"] = {
            "secs": t1 - t0, "cpu": c1 - c0, "bytes": nbytes,
            "calls": sum(len(v) for v in api.values()),
            "by_proc": {proc_name(k): len(v) for k, v in api.items()},
            "min_gap": min(gaps) if gaps else None,
            "max_per_proc": max((len(v) for v in api.values()), default=0),
            "pings": sum(1 for m in msgs if m.prog == KEEPALIVE and m.proc == 1),
            "conns": len({m.conn for m in msgs}),
        }
        self.note("memory: open bench-snaps (200 snapshots) in the list of 500")
        rss_list = status_kib(p.pid, "VmHWM")
        p.key(b"g", quiet=0.2)
        # bench-chain, bench-chain-live, bench-chain-odd, then bench-snaps
        for _ in range(3):
            p.key(b"j", quiet=0.2)
        mem = {"hwm_list": rss_list}
        for vm, count in (("bench-snaps", fixtures.SNAPSHOTS),
                          ("bench-snaps-1k", fixtures.BIG_SNAPSHOTS)):
            if count != fixtures.SNAPSHOTS:  # back to the list, one down
                p.key(b"q", quiet=0.5)
                p.key(b"j", quiet=0.2)
            mark = self.log.mark()
            t0 = time.monotonic()
            os.write(p.master, b"\r")

            def tree_shown(s, vm=vm, count=count):
                text = s.dump()
                return "%s (%d)" % (vm, count) in text and len(SNAP_ROW.findall(text)) >= 10
            t = p.wait_for(tree_shown, 120)
            if t is None:
                die("the snapshot tree of %s never showed:\n%s" % (vm, p.screen.dump()))
            p.settle(1.0)
            msgs = self.log.since(mark)
            mem[vm] = {"hwm": status_kib(p.pid, "VmHWM"), "open": t - t0,
                       "rpc": waves_between(msgs, t0, t), "peak": peak_in_flight(msgs)}
        mem["hwm"] = mem["bench-snaps"]["hwm"]
        mem["open"] = mem["bench-snaps"]["open"]
        self.r["memory"] = mem

    # 6. scaling on the test driver, and keys at 5000

    def test_driver(self):
        for n in (50, 500, 5000):
            path = os.path.join(self.a.work, "host-%d.xml" % n)
            fixtures.test_driver_file(path, n)
            uri = "test://" + path
            self.note("test driver, %d VMs: vmmanager list" % n)
            keep = n == 5000
            runs = [self.tui_list(uri, n, True, proxied=False) for _ in range(2)]
            runs.append(self.tui_list(uri, n, True, keep=keep, proxied=False))
            if keep:
                pty = runs[-1].pop("pty")
            self.r["td.vmm.%d" % n] = {
                k: sorted(r[k] for r in runs)[1] for k in ("connect", "list_after",
                                                           "details_after",
                                                           "details_all_after")}
            self.note("test driver, %d VMs: virsh list --all" % n)
            lst = repeat(lambda: self.virsh_timed(uri, "list --all"), key="after")
            self.r["td.virsh.%d" % n] = lst
        self.note("keys at 5000 VMs: G, g, PgDn, PgUp, / and typing")
        try:
            pty.settle(0.5)
            keys = []

            def press(name, k, shows=None):
                n, rows, took = pty.key(k, quiet=0.2)
                ok = n > 0 and (shows is None or any(l.lstrip("> ").startswith(shows)
                                                    for l in vm_rows(pty.screen)))
                keys.append((name, took, ok))
            press("G", b"G", "vm-5000")
            press("g", b"g", "vm-0001")
            press("PgDn", b"\x1b[6~")
            press("PgDn", b"\x1b[6~")
            press("PgUp", b"\x1b[5~")
            press("j", b"j")
            pty.key(b"/", quiet=0.2)
            for ch in "vm-4242":
                press("typing", ch.encode())
            rows = vm_rows(pty.screen)
            ok = len(rows) == 1 and "vm-4242" in rows[0]
            keys.append(("filtered to one", 0.0, ok))
            press("Esc", b"\x1b")
            self.r["keys5000"] = keys
        finally:
            pty.close()


    # 7. keys on snapshot trees of 2000 and a deep chain (test driver)

    def big_trees(self):
        path = os.path.join(self.a.work, "big-trees.xml")
        fixtures.big_trees_file(path)
        self.note("keys on trees of %d snapshots (deep, bushy) and a %d-layer chain"
                  % (fixtures.BIG_TREE, fixtures.DEEP_CHAIN))
        p = self.tui("test://" + path)
        keys = []

        def press(vm, name, k, shows=None):
            # A key that should show something is timed to when it does
            # (and the screen is still), so that a key that freezes the
            # program for a while counts that while.
            if shows is None or shows in p.screen.dump():
                n, rows, took = p.key(k, quiet=0.2)
                ok = n > 0 and (shows is None or shows in p.screen.dump())
            else:
                p.settle(0.05, 1.0)
                t0 = time.monotonic()
                os.write(p.master, k)
                ok = p.wait_for(lambda s: shows in s.dump(), 60) is not None
                p.settle(0.2)
                took = p.t_last - t0 if ok else 60.0
            keys.append((vm, name, took, ok))

        def open_vm(vm, row, shows):
            p.key(b"g", quiet=0.2)
            for _ in range(row):
                p.key(b"j", quiet=0.2)
            t0 = time.monotonic()
            os.write(p.master, b"\r")
            t = p.wait_for(lambda s: shows in s.dump(), 120)
            if t is None:
                die("%s never showed:\n%s" % (vm, p.screen.dump()))
            p.settle(0.5)
            keys.append((vm, "open", t - t0, True))

        try:
            if p.wait_for(lambda s: "tree-deep" in s.dump(), 120) is None:
                die("the big trees' host never listed:\n" + p.screen.dump())
            p.settle(0.5)
            # The list is by name: chain-deep, tree-bushy, tree-deep. The
            # tree opens on the current snapshot: the root of tree-bushy,
            # s1000 of tree-deep.
            for vm, row in (("tree-bushy", 1), ("tree-deep", 2)):
                open_vm(vm, row, "%s (%d)" % (vm, fixtures.BIG_TREE))
                press(vm, "G", b"G", "s1999")
                press(vm, "g", b"g", "s0000")
                press(vm, "j", b"j")
                press(vm, "k", b"k")
                press(vm, "Space (collapse the root)", b" ", "[+]")
                press(vm, "Space (expand it)", b" ")
                press(vm, "d (the delete menu)", b"d", "What goes?")
                press(vm, "c (with children: the list)", b"c",
                      "Delete %d snapshots" % fixtures.BIG_TREE)
                press(vm, "Esc", b"\x1b")
                press(vm, "r (the revert question)", b"r", "Revert")
                press(vm, "Esc", b"\x1b")
                p.key(b"q", quiet=0.2)
            vm = "chain-deep"
            open_vm(vm, 0, "layer-000")
            last = "layer-%03d" % (fixtures.DEEP_CHAIN - 1)
            press(vm, "Tab (the chain pane)", b"\t")
            press(vm, "G (the base)", b"G", last)
            press(vm, "k", b"k")
            press(vm, "j", b"j")
            press(vm, "Z (reset to the base: refused, it runs)", b"Z", "shut it down")
            press(vm, "g (the top)", b"g", "layer-000")
            press(vm, "c (commit the top: the question)", b"c")
            press(vm, "n (no)", b"n")
            press(vm, "Tab (the snapshot pane)", b"\t")
        finally:
            p.close()
        self.r["bigkeys"] = keys


# -- the table ---------------------------------------------------------------

def fmt_s(x):
    if x is None:
        return "-"
    if x >= 10:
        return "%.1f s" % x
    if x >= 1:
        return "%.2f s" % x
    if x >= 0.01:
        return "%.0f ms" % (x * 1000)
    if x >= 0.001:
        return "%.1f ms" % (x * 1000)
    return "%.0f us" % (x * 1e6)


def fmt_ratio(virsh, vmm):
    if virsh is None or vmm is None or vmm <= 0:
        return "-"
    r = virsh / vmm
    return ("%.0fx" if r >= 10 else "%.1fx" if r >= 1 else "%.2fx") % r


def mark(ok):
    return "pass" if ok else "FAIL"


class Table:
    COLS = ("measure", "link", "vmmanager", "virsh", "virsh/vmm", "target", "result")
    RIGHT = {2, 3, 4}

    def __init__(self):
        self.rows = []

    def section(self, title):
        self.rows.append(title)

    def add(self, *cells):
        cells = ["  " + str(cells[0])] + [str(c) for c in cells[1:]]
        self.rows.append(cells + [""] * (len(self.COLS) - len(cells)))

    def render(self):
        cells = [list(self.COLS)] + [r for r in self.rows if isinstance(r, list)]
        w = [max(len(r[i]) for r in cells) for i in range(len(self.COLS))]

        def line(r):
            return "  ".join(c.rjust(w[i]) if i in self.RIGHT else c.ljust(w[i])
                             for i, c in enumerate(r)).rstrip()
        out = [line(self.COLS), "  ".join("-" * x for x in w)]
        for r in self.rows:
            out.append(line(r) if isinstance(r, list) else r)
        return "\n".join(out)


def report_trees(t, r):
    t.section("Keys on %d-snapshot trees and a %d-layer chain (test driver, 80x24)"
              % (fixtures.BIG_TREE, fixtures.DEEP_CHAIN))
    groups = {}
    for vm, name, took, ok in r["bigkeys"]:
        g = groups.setdefault((vm, name), [0.0, True, 0])
        g[0], g[1], g[2] = max(g[0], took), g[1] and ok, g[2] + 1
    for (vm, name), (took, ok, n) in groups.items():
        label = "%s: %s%s" % (vm, name, ", worst of %d" % n if n > 1 else "")
        if name == "open":  # loading the tree is not a key's work
            t.add(label + " (Enter to tree shown)", "", fmt_s(took), "", "", "", "")
            continue
        t.add(label, "", fmt_s(took), "", "", "<= 100 ms", mark(took <= 0.1 and ok))


def report(b, started):
    r, a = b.r, b.a
    d = a.delay
    link = {0: "0 ms", d: "%d ms" % d}
    t = Table()
    notes = []

    t.section("VM list of 500 VMs")
    for x in b.delays:
        v, s = r["500.vmm.list.%d" % x], r["500.virsh.list.%d" % x]
        t.add("connect (process start, virConnectOpen)", link[x], fmt_s(v["connect"]),
              fmt_s(s["connect"]), fmt_ratio(s["connect"], v["connect"]))
        t.add("list known, after connecting", link[x], fmt_s(v["list_after"]),
              fmt_s(s["after"]), fmt_ratio(s["after"], v["list_after"]))
    for x in b.delays:
        v = r["500.vmm.details.%d" % x]
        t.add("SNAPS and CHAIN on screen, after connecting", link[x],
              fmt_s(v["details_after"]), "-")
        t.add("SNAPS and CHAIN of all 500, after connecting", link[x],
              fmt_s(v["details_all_after"]), "-", "", "<= 1.5 s" if x == d else "",
              mark(v["details_all_after"] <= 1.5) if x == d else "")
    v, s = r["500.vmm.list.%d" % d], r["500.virsh.list.%d" % d]
    vr, sr = v["rpc"], s["rpc"]
    t.add("requests after connecting, to the list", link[d], vr["calls"], sr["calls"], "",
          "<= 2", mark(vr["calls"] <= 2))
    t.add("round trips after connecting, to the list", link[d], vr["round_trips"],
          sr["round_trips"], "", "<= 1", mark(vr["round_trips"] <= 1))
    dv = r["500.vmm.details.%d" % d]
    fr, ar = dv["rpc_details"], dv["rpc_details_all"]
    t.add("round trips after connecting, to SNAPS and CHAIN on screen", link[d],
          fr["round_trips"], "-", "", "<= 6", mark(fr["round_trips"] <= 6))
    t.add("round trips after connecting, to SNAPS and CHAIN of all 500", link[d],
          ar["round_trips"], "-")
    t.add("calls in flight on one connection, at most", link[d], dv["peak"], "-", "",
          "<= 256", mark(dv["peak"] <= 256))
    pr, pi = dv.get("probes") or [], dv.get("probes_idle") or []
    if pr and pi:
        pi_med = sorted(pi)[len(pi) // 2]
        t.add("virsh list --all by another client during that load, worst of %d" % len(pr),
              "0 ms", fmt_s(max(pr)), fmt_s(pi_med), "", "<= 2x idle",
              mark(max(pr) <= 2 * pi_med))
        notes.append("another client (virsh list --all on the daemon's own socket, process "
                     "start to exit) ran %d times while vmmanager loaded the 500 VMs' details "
                     "over the %s link: median %s, worst %s; the virsh column is the median of "
                     "%d runs with nothing else going on"
                     % (len(pr), link[d], fmt_s(sorted(pr)[len(pr) // 2]), fmt_s(max(pr)),
                        len(pi)))
    notes.append("requests and round trips of vmmanager after connecting, until SNAPS and "
                 "CHAIN showed on the first screenful (%s): %d requests in %d round trips: %s"
                 % (link[d], fr["calls"], fr["round_trips"], describe_waves(fr["waves"])))
    notes.append("and until every VM's showed: %d requests in %d round trips: %s"
                 % (ar["calls"], ar["round_trips"], describe_waves(ar["waves"])))
    notes.append("round trips of vmmanager after connecting, until the list showed (%s): %s"
                 % (link[d], describe_waves(vr["waves"])))
    notes.append("round trips of virsh list --all after connecting (%s): %s"
                 % (link[d], describe_waves(sr["waves"])))

    t.section("200-snapshot tree with every snapshot's details")
    for x in b.delays:
        v, s = r["snaps.vmm.%d" % x], r["snaps.virsh.%d" % x]
        ok = v["ok"] and s["ok"]
        res = mark(s["secs"] / v["secs"] >= 40 and ok) if x == d else "" if ok else "WRONG"
        t.add("--print VM | snapshot-list + snapshot-info", link[x], fmt_s(v["secs"]),
              fmt_s(s["secs"]), fmt_ratio(s["secs"], v["secs"]),
              ">= 40x" if x == d else "", res)
    for who in ("vmm", "virsh"):
        x = r["snaps.%s.%d" % (who, d)]["rpc"]
        notes.append("%s, 200-snapshot tree (%s): %d requests in %d round trips after "
                     "connecting%s" % ("vmmanager --print" if who == "vmm" else "virsh",
                                       link[d], x["calls"], x["round_trips"],
                                       ": " + describe_waves(x["waves"]) if who == "vmm" else ""))
    x = r["snaps.vmm.%d" % d]["rpc"]
    t.add("--print VM: round trips after connecting", link[d], x["round_trips"], "", "",
          "<= 5", mark(x["round_trips"] <= 5))
    m = r["memory"]["bench-snaps"]
    t.add("Enter on the VM until its tree shows", link[d], fmt_s(m["open"]))
    t.add("Enter: round trips until the tree shows", link[d], m["rpc"]["round_trips"], "", "",
          "<= 5", mark(m["rpc"]["round_trips"] <= 5))
    notes.append("Enter on bench-snaps (%s): %d requests in %d round trips until its tree "
                 "showed: %s" % (link[d], m["rpc"]["calls"], m["rpc"]["round_trips"],
                                 describe_waves(m["rpc"]["waves"])))

    t.section("1000-snapshot tree with every snapshot's details (virsh not run: ~5x its "
              "200-snapshot time)")
    for x in b.delays:
        v = r["snaps1k.vmm.%d" % x]
        t.add("--print VM", link[x], fmt_s(v["secs"]), "", "", "",
              "" if v["ok"] else "WRONG")
    x = r["snaps1k.vmm.%d" % d]
    t.add("--print VM: round trips after connecting", link[d], x["rpc"]["round_trips"], "", "",
          "<= 8", mark(x["rpc"]["round_trips"] <= 8))
    t.add("--print VM: calls in flight on one connection, at most", link[d], x["peak"], "", "",
          "<= 256", mark(x["peak"] <= 256))
    notes.append("vmmanager --print, 1000-snapshot tree (%s): %d requests in %d round trips "
                 "after connecting: %s" % (link[d], x["rpc"]["calls"], x["rpc"]["round_trips"],
                                           describe_waves(x["rpc"]["waves"])))
    m = r["memory"]["bench-snaps-1k"]
    t.add("Enter on the VM until its tree shows", link[d], fmt_s(m["open"]))
    t.add("Enter: round trips until the tree shows", link[d], m["rpc"]["round_trips"], "", "",
          "<= 8", mark(m["rpc"]["round_trips"] <= 8))
    notes.append("Enter on bench-snaps-1k (%s): %d requests in %d round trips until its tree "
                 "showed: %s" % (link[d], m["rpc"]["calls"], m["rpc"]["round_trips"],
                                 describe_waves(m["rpc"]["waves"])))

    # The odd chain has no target: it shows what reading ahead saves.
    for tag, title, target in (
            ("chain", "10-layer backing chain of a shut-off VM (storage API, layers named alike)", True),
            ("odd", "10-layer backing chain of a shut-off VM, layers named unlike (nothing read ahead)",
             False),
            ("live", "10-layer backing chain of a running VM (live XML)", True)):
        t.section(title)
        for x in b.delays:
            v, s = r["%s.vmm.%d" % (tag, x)], r["%s.virsh.%d" % (tag, x)]
            ok = v["ok"] and s["ok"]
            if x == d and target:
                res = mark(s["secs"] / v["secs"] >= 1 and ok)
            else:
                res = "" if ok else "WRONG"
            t.add("--print VM | domblklist + qemu-img info", link[x], fmt_s(v["secs"]),
                  fmt_s(s["secs"]), fmt_ratio(s["secs"], v["secs"]),
                  ">= 1x" if x == d and target else "", res)
        x, y = r["%s.vmm.%d" % (tag, d)]["rpc"], r["%s.virsh.%d" % (tag, d)]["rpc"]
        notes.append("vmmanager --print of the 10-layer chain, %s (%s): %d requests in %d round "
                     "trips after connecting: %s" % (tag, link[d], x["calls"], x["round_trips"],
                                                     describe_waves(x["waves"])))
    notes.append("virsh domblklist (%s): %d requests in %d round trips after connecting; "
                 "qemu-img then reads the files locally" % (link[d], y["calls"],
                                                             y["round_trips"]))

    tm = r["term"]
    t.section("Terminal output, 80x24 list of 500 VMs: bytes written, rows rewritten")
    worst = max(tm["moves"][:5], key=lambda m: m[0])
    t.add("j: selection one row down, worst of 5", "", "%d B, %d rows" % worst[:2], "", "",
          "<= 200 B", mark(worst[0] <= 200))
    worst_k = max(tm["moves"][5:], key=lambda m: m[0])
    t.add("k: selection one row up, worst of 2", "", "%d B, %d rows" % worst_k[:2], "", "",
          "<= 200 B", mark(worst_k[0] <= 200))
    partial = all(m[1] <= 3 for m in tm["moves"])
    t.add("j and k rewrite only the rows that change", "",
          "%d rows at most" % max(m[1] for m in tm["moves"]), "", "", "<= 3 rows",
          mark(partial))
    t.add("Ctrl-L: full redraw", "", "%d B, %d rows" % tm["ctrl_l"][:2], "", "",
          "24 rows", mark(tm["ctrl_l"][1] >= 24))
    t.add("resize to 100x30: full redraw", "", "%d B, %d rows" % tm["resize"][:2], "", "",
          "30 rows", mark(tm["resize"][1] >= 30))

    i = r["idle"]
    t.section("Idle for %.0f s, 500 VMs listed, nothing happening (%s link)" % (i["secs"],
                                                                              link[d]))
    pct = 100.0 * i["cpu"] / i["secs"]
    t.add("CPU, utime + stime of the process", "", "%.2f%% of a core" % pct, "", "",
          "< 1%", mark(pct < 1.0))
    limit = int(i["secs"] // 5) + 1
    calls_ok = i["max_per_proc"] <= limit and (i["min_gap"] is None or i["min_gap"] >= 4.9)
    t.add("libvirt calls", "", "%d" % i["calls"], "", "", "<= 1 per 5 s", mark(calls_ok))
    t.add("keepalive pings sent (libvirt's own)", "", "%d on %d conn." % (i["pings"],
                                                                      i["conns"]))
    t.add("bytes written to the terminal", "", "%d B" % i["bytes"])
    if i["calls"]:
        notes.append("libvirt calls while idle: " + ", ".join(
            "%s x%d" % kv for kv in sorted(i["by_proc"].items())))

    m = r["memory"]
    t.section("Memory: 500 VMs listed, then the 200- and 1000-snapshot trees open (%s link)"
              % link[d])
    t.add("peak RSS (VmHWM), list only", "", "%.1f MiB" % (m["hwm_list"] / 1024.0))
    t.add("peak RSS (VmHWM), tree open", "", "%.1f MiB" % (m["hwm"] / 1024.0), "", "",
          "<= 40 MiB", mark(m["hwm"] <= 40 * 1024))
    big = m["bench-snaps-1k"]["hwm"]
    t.add("peak RSS (VmHWM), then the 1000-snapshot tree open", "", "%.1f MiB" % (big / 1024.0),
          "", "", "<= 40 MiB", mark(big <= 40 * 1024))

    t.section("Scaling: time per VM, after connecting")
    for where, x in (("session", 0), ("session", d)):
        for n in (50, 500):
            v, s = r["%d.vmm.list.%d" % (n, x)], r["%d.virsh.list.%d" % (n, x)]
            t.add("%4d VMs, %s: list known" % (n, where), link[x], fmt_s(v["list_after"] / n),
                  fmt_s(s["after"] / n), fmt_ratio(s["after"], v["list_after"]))
    for n in (50, 500):
        v = r["%d.vmm.details.%d" % (n, d)]
        t.add("%4d VMs, session: details of all" % n, link[d],
              fmt_s(v["details_all_after"] / n), "-")
    for n in (50, 500, 5000):
        v, s = r["td.vmm.%d" % n], r["td.virsh.%d" % n]
        t.add("%4d VMs, test driver: list known" % n, "-", fmt_s(v["list_after"] / n),
              fmt_s(s["after"] / n), fmt_ratio(s["after"], v["list_after"]))
    for n in (50, 500, 5000):
        v = r["td.vmm.%d" % n]
        t.add("%4d VMs, test driver: details of all" % n, "-",
              fmt_s(v["details_all_after"] / n), "-")
    v5, v500 = r["td.vmm.5000"], r["td.vmm.500"]
    g_list = (v5["list_after"] / 5000) / (v500["list_after"] / 500)
    g_det = (v5["details_all_after"] / 5000) / (v500["details_all_after"] / 500)
    t.add("per VM at 5000 / at 500: list", "-", "%.2f" % g_list, "", "", "<= 1.5",
          mark(g_list <= 1.5))
    t.add("per VM at 5000 / at 500: details", "-", "%.2f" % g_det, "", "", "<= 1.5",
          mark(g_det <= 1.5))
    s5, s500 = r["td.virsh.5000"], r["td.virsh.500"]
    notes.append("test driver: virsh list --all per VM at 5000 / at 500: %.2f (virsh -t times "
                 "the command alone); connecting, which parses the file, took %s (vmmanager) "
                 "and %s (virsh) at 5000 VMs" % ((s5["after"] / 5000) / (s500["after"] / 500),
                                                 fmt_s(v5["connect"]), fmt_s(s5["connect"])))

    t.section("Keys at 5000 VMs (test driver, 80x24): key to screen settled")
    groups = {}
    for name, took, ok in r["keys5000"]:
        g = groups.setdefault(name, [0.0, True, 0])
        g[0], g[1], g[2] = max(g[0], took), g[1] and ok, g[2] + 1
    for name, (took, ok, n) in groups.items():
        if name == "filtered to one":
            t.add("/vm-4242 leaves one VM listed", "", "yes" if ok else "no", "", "", "yes",
                  mark(ok))
            continue
        label = {"typing": "/ then typing vm-4242, per key"}.get(name, name)
        t.add(label + (", worst of %d" % n if n > 1 else ""), "", fmt_s(took), "", "",
              "<= 100 ms", mark(took <= 0.1 and ok))
    report_trees(t, r)

    print()
    print("vmmanager benchmark (make bench) on %s: %d CPUs, libvirt %s, %s"
          % (platform.node() or "this machine", os.cpu_count() or 0, a.libvirt_version,
             a.qemu_version))
    print("Private session daemon with %d VMs (bench-snaps: %d snapshots, bench-chain: %d "
          "layers), set up in %.1f s." % (500, fixtures.SNAPSHOTS, fixtures.CHAIN,
                                          r["setup50"] + r["setup500"]))
    print("link: the delay the proxy adds to each message, each way. Times: median of 3 "
          "runs where a run takes < 2 s.")
    print("virsh/vmm: virsh's time over vmmanager's, higher is better for vmmanager.")
    print()
    print(t.render())
    print()
    for n in notes:
        print("* " + n)
    print("* whole run: %.0f s" % (time.monotonic() - started))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--vmmanager", required=True)
    ap.add_argument("--only", choices=["trees"],
                    help="only the keys on big trees (test driver: no daemon, no proxy)")
    ap.add_argument("--direct-uri", help="the daemon, without the proxy")
    ap.add_argument("--proxy0", help="the proxy socket that adds no delay")
    ap.add_argument("--proxy", help="the proxy socket that adds --delay")
    ap.add_argument("--delay", type=int, default=25, help="ms each way on --proxy")
    ap.add_argument("--log", help="the proxy's message log")
    ap.add_argument("--work", required=True, help="a scratch folder")
    ap.add_argument("--img", help="the image folder (the pool)")
    ap.add_argument("--user", help="the owner of the images")
    ap.add_argument("--idle", type=float, default=60.0)
    ap.add_argument("--libvirt-version", default="?")
    ap.add_argument("--qemu-version", default="?")
    a = ap.parse_args()
    if not a.only:
        for need in ("direct_uri", "proxy0", "proxy", "log", "img"):
            if getattr(a, need) is None:
                ap.error("--%s is needed for the whole run" % need.replace("_", "-"))
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(143))
    started = time.monotonic()
    b = Bench(a)
    if a.only == "trees":
        b.big_trees()
        t = Table()
        report_trees(t, b.r)
        print()
        print(t.render())
        print("* whole run: %.0f s" % (time.monotonic() - started))
        return
    try:
        run_all(b, a)
    except KeyboardInterrupt:
        raise SystemExit("bench: interrupted")
    report(b, started)


def run_all(b, a):
    try:
        b.note("fixtures: bench-snaps, bench-snaps-1k, bench-chain, bench-chain-odd, bench-chain-live "
               "and 45 more VMs")
        b.fixtures_first()
        b.session_list(50, "50", details_delays=b.delays)
        b.note("fixtures: 450 more VMs")
        b.fixtures_grow()
        b.terminal()
        b.session_list(500, "500", details_delays=b.delays, keep_delay=a.delay)
        b.idle_and_memory(b.r["pty"])
        b.r.pop("pty").close()
        b.snapshots()
        b.chain()
        b.test_driver()
        b.big_trees()
    finally:
        if "pty" in b.r:
            b.r.pop("pty").close()


if __name__ == "__main__":
    main()
