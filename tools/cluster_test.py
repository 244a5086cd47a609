"""`make cluster-test`: Centra on several hosts, with one of each killed mid-run.

Each host is a network namespace of its own (`ip netns`), joined to the others by a
veth pair on a bridge made for the run: two app hosts (gunicorn), two worker hosts
(`manage.py run_worker`), an edge host (nginx in front of both app hosts, passing a
request to the other one when the first fails), and two client hosts (a clinic's
office and patients at home). PostgreSQL (a fresh database), Redis and an S3 server
(moto, as the tests use) are the machine's own, reached through the bridge.

Through the proxy it drives a bounded busy hour: therapists and patients sign in
through the forms (CSRF and all), therapists browse and download handouts, patients
log exercises and download theirs, a clinic system syncs through the API, reminders
fall due. Mid-run it kills one app host and one worker (SIGKILL), and brings the app
host back later. Then it checks:

- no answer was a 5xx (nor a dropped connection);
- every log sent was stored exactly once;
- every reminder due was sent exactly once (one email, one row), and no task was lost;
- every handout downloads from either app host;
- the sign-in pause counts wrong passwords across both app hosts as one;
- the audit log holds the clients' addresses, never the proxy's, and verifies.

It prints p50 and p95 per kind of request. It needs root (namespaces); without it,
it says so and fails. Everything it made is removed on exit, whatever the exit; what a
killed run left behind is removed by the next one.

The parts are in tools/cluster/: the network, the databases, the run, the client
hosts' users, and what runs inside Django. This script is also each of the processes
the run starts in a namespace or with the run's database (the options below).
"""

import argparse
import json
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--drive", nargs=4, metavar=("ROLE", "BASE", "SETUP", "SECONDS"))
    parser.add_argument("--after", nargs="+", metavar="SETUP HOSTS")
    parser.add_argument("--check", nargs="+", metavar="SETUP SENT PROXY CLIENTS")
    options = parser.parse_args()
    if options.prepare:
        from cluster.inside import prepare

        print(json.dumps(prepare()))
    elif options.drive:
        from cluster.clients import drive

        role, base, setup, seconds = options.drive
        print(json.dumps(drive(role, base, json.loads(Path(setup).read_text()), float(seconds))))
    elif options.after:
        from cluster.clients import handouts_on_each_host, lockout_probe

        setup = json.loads(Path(options.after[0]).read_text())
        hosts = options.after[1:]
        print(json.dumps(lockout_probe(hosts, setup) + handouts_on_each_host(hosts, setup)))
    elif options.check:
        from cluster.inside import check

        setup_path, sent_path, proxy, *clients = options.check
        setup, sent = (json.loads(Path(p).read_text()) for p in (setup_path, sent_path))
        print(json.dumps(check(setup, sent, proxy, clients)))
    else:
        from cluster.run import orchestrate

        return orchestrate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
