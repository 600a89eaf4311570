#!/usr/bin/python3
"""Pledge on Dask distributed: one task per customer bucket of the lake.

Run by `pledge run --engine dask` (src/apps/dask.ts), not by hand. Dask schedules, places and
retries; each task runs Pledge itself (node engine/bucket.mjs: DuckDB over that bucket's slice
of the lake) and leaves its tables in OUT/bucket=NN/. This file is only the part Dask needs:
the merge and everything after it are Pledge's TypeScript and SQL.

    pledge_dask.py --lake DIR --out DIR --buckets N --policy FILE --as-of INSTANT
                   --node NODE --entry engine/bucket.mjs (--local N | --scheduler tcp://HOST:PORT)
"""
import argparse
import json
import os
import subprocess
import sys
import time

from dask.distributed import Client, LocalCluster, get_worker, wait

# A task that fails is tried this many more times, on any worker, before its bucket fails the run.
RETRIES = 2


def run_bucket(node, entry, lake, bucket, policy, as_of, out, queries):
    """One bucket, on whichever worker Dask placed it: Pledge's own process, its exit code the verdict."""
    name = "bucket=%02d" % bucket
    cmd = [node, entry, "--lake", lake, "--bucket", str(bucket), "--policy", policy,
           "--as-of", as_of, "--out", os.path.join(out, name)]
    if queries:
        cmd += ["--queries", queries]
    started = time.time()
    # The worker's name goes into the bucket's done.json: which machine computed which bucket.
    worker = get_worker()
    env = dict(os.environ, PLEDGE_DASK_WORKER=str(worker.name if worker.name is not None else worker.address))
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        ended = "killed by signal %d" % -r.returncode if r.returncode < 0 else "exit status %d" % r.returncode
        said = (r.stderr.strip().splitlines() or [ended])[-1]
        raise RuntimeError(said)
    return {"bucket": name, "seconds": time.time() - started}


def main():
    p = argparse.ArgumentParser()
    for a in ("--lake", "--out", "--policy", "--as-of", "--node", "--entry"):
        p.add_argument(a, required=True)
    p.add_argument("--buckets", type=int, required=True)
    p.add_argument("--queries")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", type=int, help="start a LocalCluster of N worker processes")
    where.add_argument("--scheduler", help="a running scheduler, tcp://HOST:PORT")
    o = p.parse_args()

    cluster = None
    if o.local:
        # One thread per worker process: each task is a DuckDB process of its own, so N workers run N at once.
        cluster = LocalCluster(n_workers=o.local, threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1")
    client = Client(cluster if cluster else o.scheduler)
    try:
        futures = [client.submit(run_bucket, o.node, o.entry, o.lake, b, o.policy, o.as_of, o.out, o.queries,
                                 key="bucket=%02d" % b, retries=RETRIES, pure=False)
                   for b in range(o.buckets)]
        wait(futures)
        failed = [f for f in futures if f.status != "finished"]
        for f in failed:
            e = f.exception()
            print("pledge-dask: %s failed after %d tries: %s" % (f.key, RETRIES + 1, e), file=sys.stderr)
        if failed:
            return 1
        print(json.dumps({"workers": len(client.scheduler_info()["workers"]),
                          "buckets": [f.result() for f in futures]}))
        return 0
    finally:
        client.close()
        if cluster:
            cluster.close()


if __name__ == "__main__":
    sys.exit(main())
