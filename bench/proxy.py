#!/usr/bin/env python3
"""A delaying proxy for libvirt's RPC on a unix socket.

    proxy.py --target DAEMON_SOCK --listen PATH:DELAY_MS [--listen ...] --log FILE

Every --listen socket accepts clients and connects each one to the daemon's
socket.  Each libvirt message (a 4-byte big-endian length that counts
itself, then the body) is held DELAY_MS milliseconds in each direction and
then passed on, in order; messages are held concurrently, so the delay adds
latency but never limits how many calls are in flight, as on a WAN link.

One line per message is appended to FILE once it has been passed on:

    T_IN T_OUT CONN LABEL DIR PROG PROC TYPE SERIAL STATUS LEN

T_IN and T_OUT are CLOCK_MONOTONIC seconds (time.monotonic()) when the
message was read whole and when it was written on; CONN numbers the client
connections from 1; LABEL is the listening socket's DELAY_MS; DIR is C for
client to daemon, S for daemon to client; PROG, PROC, TYPE, SERIAL and
STATUS come from the message header (TYPE 0 call, 1 reply, 2 event, 3
stream).
"""
import argparse
import asyncio
import os
import signal
import struct
import sys
import time

HEADER = struct.Struct(">IIIiIi")  # prog, vers, proc, type, serial, status
MAX_MESSAGE = 64 << 20


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1)

    def write(self, t_in, t_out, conn, label, direction, msg):
        if len(msg) >= 4 + HEADER.size:
            prog, _, proc, typ, serial, status = HEADER.unpack_from(msg, 4)
        else:
            prog = proc = serial = 0
            typ = status = -1
        self.f.write("%.6f %.6f %d %s %s %x %d %d %d %d %d\n" %
                     (t_in, t_out, conn, label, direction, prog, proc, typ,
                      serial, status, len(msg)))


async def pump(reader, writer, delay, log, conn, label, direction):
    """Copies messages from reader to writer, each DELAY seconds late."""
    queue = asyncio.Queue()

    async def forward():
        try:
            while True:
                item = await queue.get()
                if item is None:
                    break
                due, t_in, msg = item
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(msg)
                log.write(t_in, time.monotonic(), conn, label, direction, msg)
                if writer.transport.get_write_buffer_size() > (1 << 20):
                    await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    task = asyncio.ensure_future(forward())
    try:
        while True:
            head = await reader.readexactly(4)
            (n,) = struct.unpack(">I", head)
            if n < 4 or n > MAX_MESSAGE:
                break
            body = await reader.readexactly(n - 4)
            t_in = time.monotonic()
            queue.put_nowait((t_in + delay, t_in, head + body))
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        pass
    queue.put_nowait(None)
    await task


class Proxy:
    def __init__(self, target, log):
        self.target = target
        self.log = log
        self.nconn = 0

    def handler(self, label, delay):
        async def serve(creader, cwriter):
            self.nconn += 1
            conn = self.nconn
            try:
                dreader, dwriter = await asyncio.open_unix_connection(self.target)
            except OSError as e:
                print("proxy: cannot reach %s: %s" % (self.target, e), file=sys.stderr)
                cwriter.close()
                return
            await asyncio.gather(
                pump(creader, dwriter, delay, self.log, conn, label, "C"),
                pump(dreader, cwriter, delay, self.log, conn, label, "S"))
        return serve


async def main():
    ap = argparse.ArgumentParser(description="delaying proxy for libvirt RPC")
    ap.add_argument("--target", required=True, help="the daemon's unix socket")
    ap.add_argument("--listen", action="append", required=True, metavar="PATH:DELAY_MS")
    ap.add_argument("--log", required=True, help="append one line per message here")
    a = ap.parse_args()
    proxy = Proxy(a.target, Log(a.log))
    servers = []
    for spec in a.listen:
        path, _, ms = spec.rpartition(":")
        if os.path.exists(path):
            os.unlink(path)
        servers.append(await asyncio.start_unix_server(
            proxy.handler(ms, float(ms) / 1000.0), path=path))
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    await stop
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())
