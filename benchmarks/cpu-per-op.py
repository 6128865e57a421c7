#!/usr/bin/env python3
"""Server CPU per FTP operation, for before/after pairs of one server on a shared machine.

Wall-clock rates move 2x from run to run when other work shares the cores; the CPU time a server
process spends per operation moves far less. This loads two (or more) servers that serve the same
fixture directory (the load tool's: small/ with 4 KiB files, list/ with 10,000, upload/ where stor
writes 200 names over and over, and stor10m five 10 MiB files) in alternating batches, and reads each server's utime + stime from
/proc/PID/stat around every batch.

    benchmarks/cpu-per-op.py before=127.0.0.1:21901:PID after=127.0.0.1:21903:PID \
        [--warmup 4] [--rounds 12] [--ops retr,stor,stor10m,nlst,list,mlsd]

Prints, per operation, each server's mean CPU ms per operation over the rounds after the warm-up
ones (a JVM's compiler threads count in its CPU time while its code is cold), the median wall ms
per operation, and each server's ratio to the first one.
Anonymous login; loopback addresses only. Linux only (procfs).
"""
import argparse
import ftplib
import io
import ipaddress
import os
import statistics
import time

BATCH = {"retr": 200, "stor": 200, "stor10m": 5, "list": 5, "nlst": 5, "mlsd": 5}
SMALL_UPLOAD = b"\x5a" * 4096
BIG_UPLOAD = bytes(range(256)) * (40 * 1024)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def batch(ftp, op, small):
    n = BATCH[op]
    if op == "retr":
        for i in range(n):
            data = bytearray()
            ftp.retrbinary("RETR small/" + small[i % len(small)], data.extend)
            assert len(data) > 0
        return n
    if op == "stor":
        for i in range(n):
            # the same 200 names each batch: the server replaces them (the load tool's settings allow it)
            ftp.storbinary("STOR upload/cpu-per-op-%03d.bin" % i, io.BytesIO(SMALL_UPLOAD))
        return n
    if op == "stor10m":
        for i in range(n):
            ftp.storbinary("STOR upload/cpu-per-op-10m-%d.bin" % i, io.BytesIO(BIG_UPLOAD), blocksize=1 << 20)
        return n
    command = {"list": "LIST list", "nlst": "NLST list", "mlsd": "MLSD list"}[op]
    for _ in range(n):
        lines = []
        ftp.retrlines(command, lines.append)
        assert len(lines) >= 1000, "%s returned %d lines" % (command, len(lines))
    return n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("servers", nargs="+", help="NAME=HOST:PORT:PID")
    parser.add_argument("--warmup", type=int, default=4, help="rounds run first and not counted")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--ops", default="retr,nlst,list,mlsd")
    args = parser.parse_args()
    ops = args.ops.split(",")
    servers = []
    for spec in args.servers:
        name, rest = spec.split("=", 1)
        host, port, pid = rest.rsplit(":", 2)
        if not ipaddress.ip_address(host).is_loopback:
            parser.error("only loopback addresses: " + host)
        ftp = ftplib.FTP(timeout=60)
        ftp.connect(host, int(port))
        ftp.login()
        small = sorted(n.rsplit("/", 1)[-1] for n in ftp.nlst("small"))[:100]
        servers.append((name, int(pid), ftp, small))
    cpu = {(s[0], op): [] for s in servers for op in ops}
    wall = {(s[0], op): [] for s in servers for op in ops}
    for r in range(args.warmup + args.rounds):
        for op in ops:
            for name, pid, ftp, small in (servers if r % 2 == 0 else servers[::-1]):
                c, t = cpu_seconds(pid), time.perf_counter()
                n = batch(ftp, op, small)
                if r >= args.warmup:
                    wall[(name, op)].append((time.perf_counter() - t) * 1000 / n)
                    cpu[(name, op)].append((cpu_seconds(pid) - c) * 1000 / n)
    for op in ops:
        base = None
        cells = []
        for name, _, _, _ in servers:
            c = statistics.mean(cpu[(name, op)])
            w = statistics.median(wall[(name, op)])
            base = base or (c, w)
            cells.append("%s %.3f ms CPU (%.2fx), %.3f ms wall (%.2fx)" % (name, c, c / base[0], w, w / base[1]))
        print("%-5s %s" % (op, " | ".join(cells)))
    for _, _, ftp, _ in servers:
        ftp.quit()


if __name__ == "__main__":
    main()
