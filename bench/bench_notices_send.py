"""Send rate of a notices campaign through real Celery workers vs its floors, in one run.

Every sender sends the same messages into the same local aiosmtpd sink (discarding) with the
same number of SMTP connections: windown (committing every message's outcome), a raw smtplib
blaster (no database), the crash-safe floor (the blaster committing one UPDATE per message on
PostgreSQL, synchronous commit) and django-post_office. The worker's resident memory is
sampled during the campaign. Needs PostgreSQL (DATABASE_URL) and Redis; prints figures,
asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wd_notices \\
    python bench/bench_notices_send.py --recipients 100000 --workers 2
"""

from __future__ import annotations

import argparse
import base64
import datetime
import itertools
import os
import secrets
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/10")
RATE_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
SINK_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8033"))
# the benchmark-only virtualenv (see README-notices.md)
POSTOFFICE_PYTHON = os.environ.get(
    "BENCH_POSTOFFICE_PYTHON",
    "/tmp/postoffice-venv/bin/python",  # noqa: S108
)
os.environ.update(DEBUG="true", CELERY_BROKER_URL=BROKER, REDIS_URL=RATE_REDIS)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")


def start_sink(count_file: Path) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_notices_sink.py"), str(SINK_PORT), str(count_file)]
    )
    time.sleep(1.0)
    return sink


def sink_count(count_file: Path) -> tuple[int, int]:
    for _ in range(20):  # the sink rewrites the file: a read can catch it half written
        try:
            sent, duplicates = count_file.read_text().split()
            return int(sent), int(duplicates)
        except ValueError:
            time.sleep(0.01)
        except FileNotFoundError:
            break
    return 0, 0


def rss_mb(root_pid: int) -> dict[int, float]:
    """Resident memory of a worker and each of its pool processes, in MB (Linux /proc)."""
    sizes = {}
    pids = [root_pid]
    children = Path(f"/proc/{root_pid}/task/{root_pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1]) / 1024
        except FileNotFoundError:
            pass
    return sizes


def cpu_seconds(pids) -> float:
    """User + system CPU seconds of these processes (Linux /proc)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (Linux /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def worker_pids(workers) -> list[int]:
    return [pid for w in workers for pid in rss_mb(w.pid)]


def setup(recipients: int):
    from notices.models import Recipient
    from windown import services
    from windown.models import User

    user, _ = User.objects.get_or_create(email="bench@windown.example")
    slug = f"bench-{int(time.time())}-{secrets.token_hex(3)}"
    import datetime as dt

    winddown = services.winddown_create(
        creator=user,
        slug=slug,
        company_legal_name="Bench Trading Ltd",
        registration_country="DE",
        company_form="GmbH",
        deletion_deadline=dt.date.today() + dt.timedelta(days=120),
        support_email="support@bench.example",
    )
    langs = ["en", "de", "fr", "ja", "zh-hans", "es"]
    for start in range(0, recipients, 10_000):
        Recipient.objects.bulk_create(
            Recipient(
                winddown=winddown,
                email=f"r{i}@bench.example",
                name=f"Customer {i}",
                language=langs[i % 6],
                jurisdiction="DE",
            )
            for i in range(start, min(start + 10_000, recipients))
        )
    return winddown


def blaster(messages: list[tuple[str, list[str], bytes]], connections: int) -> float:
    """Send pre-built messages over `connections` SMTP connections; return messages/s."""
    chunks = [messages[i::connections] for i in range(connections)]

    def send(chunk):
        with smtplib.SMTP("127.0.0.1", SINK_PORT) as smtp:
            for sender, to, data in chunk:
                smtp.sendmail(sender, to, data)

    threads = [threading.Thread(target=send, args=(c,)) for c in chunks]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(messages) / (time.monotonic() - began)


def postoffice(campaign, connections: int) -> float | None:
    """The same notices through django-post_office, in its own virtualenv and process."""
    import json

    from notices.messages import delivery_email
    from notices.models import Delivery

    if not Path(POSTOFFICE_PYTHON).exists():
        return None
    templates = {t.language: t for t in campaign.templates.all()}
    rows = Delivery.objects.filter(campaign=campaign).select_related(
        "recipient", "campaign__winddown"
    )
    path = Path(tempfile.gettempdir()) / f"windown-bench-postoffice-{os.getpid()}.jsonl"
    with path.open("w") as out:
        for d in rows.iterator(chunk_size=2000):
            d.recipient.winddown = campaign.winddown
            email = delivery_email(d, templates)
            headers = {**email.extra_headers, "Reply-To": ", ".join(email.reply_to)}
            message = {
                "from": email.from_email,
                "to": email.to[0],
                "subject": email.subject,
                "text": email.body,
                "html": email.alternatives[0][0],
                "headers": headers,
            }
            out.write(json.dumps(message) + "\n")
    env = {**os.environ, "BENCH_SMTP_PORT": str(SINK_PORT)}
    run = subprocess.run(
        [
            POSTOFFICE_PYTHON,
            str(ROOT / "bench" / "_postoffice_run.py"),
            str(path),
            str(connections),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    path.unlink(missing_ok=True)
    if run.returncode:
        print(run.stderr[-2000:])
        return None
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"post_office sent {result['sent']} of {result['total']}")
    return result["sent"] / result["seconds"]


def prebuilt(campaign) -> list[tuple[int, str, list[str], bytes]]:
    """The very bytes windown sends (same composer) for every delivery, built before timing."""
    from notices.composer import Composer
    from notices.models import Delivery

    rows = Delivery.objects.filter(campaign=campaign).select_related(
        "recipient", "campaign__winddown"
    )
    composer = Composer(campaign, {t.language: t for t in campaign.templates.all()})
    messages = []
    for d in rows.iterator(chunk_size=2000):
        outgoing = composer.compose(d)
        messages.append((d.pk, outgoing.sender, [outgoing.to], outgoing.data))
    return messages


def compose_times(campaign, sample: int = 3000) -> tuple[float, float]:
    """CPU ms per notice: the hand-written composer vs Django's EmailMultiAlternatives.

    Both render the templates and sign the links; the first joins the MIME bytes itself,
    the second builds the message with Django and the email package (`as_bytes`).
    """
    from notices.composer import Composer
    from notices.messages import build_email
    from notices.models import Delivery
    from notices.rendering import render_notice

    templates = {t.language: t for t in campaign.templates.all()}
    rows = list(Delivery.objects.filter(campaign=campaign).select_related("recipient")[:sample])
    for d in rows:
        d.campaign = campaign
        d.recipient.winddown = campaign.winddown
    composer = Composer(campaign, templates)
    composer.compose(rows[0])  # languages prepared, as in a worker after its first batch
    began = time.process_time()
    for d in rows:
        composer.compose(d)
    fast = (time.process_time() - began) / len(rows) * 1000
    began = time.process_time()
    for d in rows:
        shared = composer._language(d.recipient.language)
        context = {
            **shared.context,
            "customer_name": d.recipient.name,
            "customer_email": d.recipient.email,
            "customer_ref": d.recipient.customer_ref,
            "personal_link": composer._personal.format(composer._personal_tokens.token(d.pk)),
            "unsubscribe_link": "https://x.example/u/token",
        }
        rendered = render_notice(shared.template, context)
        email = build_email(
            campaign=campaign, recipient=d.recipient, rendered=rendered, message_id=d.message_id
        )
        email.message().as_bytes(linesep="\r\n")
    django_path = (time.process_time() - began) / len(rows) * 1000
    return fast, django_path


def blaster_run(messages, connections: int, sink):
    """The pre-built messages through a raw smtplib blaster: rate and CPU per message."""
    cpu_before = {"blaster": time.process_time(), "sink": cpu_seconds([sink.pid])}
    rate = blaster([m[1:] for m in messages], connections)
    cpu = {
        "blaster": time.process_time() - cpu_before["blaster"],
        "sink": cpu_seconds([sink.pid]) - cpu_before["sink"],
    }
    return rate, cpu


def floor_run(campaign, messages, connections: int) -> float:
    """The crash-safe floor: the blaster committing one outcome UPDATE per message.

    Each thread has its own SMTP connection and its own PostgreSQL session (autocommit,
    synchronous commit on) and, after every message, commits the very UPDATE windown commits
    (the delivery's outcome, conditional on its lease). The rows are leased to it untimed.
    """
    import psycopg
    from django.db import connection

    from notices.models import Delivery

    Delivery.objects.filter(campaign=campaign).update(
        status="sending", claimed_by="floor", lease_expires_at=None
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE notices_delivery")
    db = connection.settings_dict
    sql = (
        "UPDATE notices_delivery SET status = 'sent', attempts = attempts + 1, sent_at = %s, "
        "provider_message_id = '', last_error = '', claimed_by = '', lease_expires_at = NULL, "
        "updated_at = %s WHERE id = %s AND status = 'sending' AND claimed_by = %s"
    )
    chunks = [messages[i::connections] for i in range(connections)]

    def send(chunk):
        with (
            psycopg.connect(
                dbname=db["NAME"],
                user=db["USER"],
                password=db["PASSWORD"],
                host=db["HOST"],
                port=db["PORT"] or None,
                autocommit=True,
            ) as pg,
            smtplib.SMTP("127.0.0.1", SINK_PORT) as smtp,
        ):
            pg.execute("SET synchronous_commit TO on")
            for pk, sender, to, data in chunk:
                smtp.sendmail(sender, to, data)
                now = datetime.datetime.now(datetime.UTC)
                pg.execute(sql, (now, now, pk, "floor"))

    threads = [threading.Thread(target=send, args=(c,)) for c in chunks]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - began
    unsent = Delivery.objects.filter(campaign=campaign).exclude(status="sent").count()
    assert unsent == 0, f"the floor left {unsent} outcomes unrecorded"
    return len(messages) / seconds


def start_workers(args, connections: int, app: str, extra_env: dict) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        # as in production: DEBUG off (no query log growing in memory)
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "NOTICES_EXPORT_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_URL": f"smtp://127.0.0.1:{SINK_PORT}",
        "NOTICES_PARALLEL_TASKS": str(connections),
        **extra_env,
    }
    return [
        subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                app,
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={args.concurrency}",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=bench{i}-{os.getpid()}@localhost",
            ],
            cwd=ROOT,
            env=env,
        )
        for i in range(args.workers)
    ]


def windown_run(args, connections: int, sink, count_file: Path, app: str, extra_env: dict) -> dict:
    """One campaign to fresh recipients through real Celery workers; its figures."""
    import redis
    from django.db import close_old_connections

    from notices.models import Delivery
    from notices.services.campaigns import campaign_create, campaign_start
    from windown.models import Membership

    for url in (BROKER, RATE_REDIS):
        redis.Redis.from_url(url).flushdb()
    winddown = setup(args.recipients)
    director = Membership.objects.get(winddown=winddown)
    campaign = campaign_create(by=director, name="Bench", rate_limit=100_000)
    workers = start_workers(args, connections, app, extra_env)
    time.sleep(6)  # workers up
    sent_before, duplicates_before = sink_count(count_file)
    cpu_before = {
        "worker": cpu_seconds(worker_pids(workers)),
        "sink": cpu_seconds([sink.pid]),
        "machine": machine_cpu(),
    }
    began = time.monotonic()
    campaign_start(by=director, campaign=campaign)
    peaks, samples, first_at, checkpoints = {}, [], None, []
    while True:
        sent = sink_count(count_file)[0] - sent_before
        if sent and first_at is None:
            first_at = time.monotonic() - began
        sizes = {pid: mb for w in workers for pid, mb in rss_mb(w.pid).items()}
        for pid, mb in sizes.items():
            peaks[pid] = max(peaks.get(pid, 0.0), mb)
        samples.append(sum(sizes.values()))
        if sent >= (len(checkpoints) + 1) * args.recipients / 10:
            checkpoints.append((sent, time.monotonic() - began, samples[-1]))
        if sent >= args.recipients:
            break
        time.sleep(0.2)
        close_old_connections()
    seconds = time.monotonic() - began
    # outcomes are committed per message: wait for the last rows to be recorded
    while Delivery.objects.filter(campaign=campaign, status__in=["queued", "sending"]).exists():
        time.sleep(0.2)
    cpu = {
        "worker": cpu_seconds(worker_pids(workers)) - cpu_before["worker"],
        "sink": cpu_seconds([sink.pid]) - cpu_before["sink"],
    }
    # PostgreSQL backends come and go with the tasks: count them with Redis and this
    # script as the rest of the machine's busy time.
    cpu["rest (PostgreSQL, Redis, bench)"] = (
        machine_cpu() - cpu_before["machine"] - sum(cpu.values())
    )
    sent, duplicates = sink_count(count_file)
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(30)
    return {
        "campaign": campaign,
        "rate": args.recipients / seconds,
        "seconds": seconds,
        "first_at": first_at,
        "sent": sent - sent_before,
        "duplicates": duplicates - duplicates_before,
        "cpu": cpu,
        "peaks": peaks,
        "samples": samples,
        "checkpoints": checkpoints,
    }


def report_windown(label: str, run: dict, recipients: int) -> None:
    print(f"windown, {label:<25}{run['rate']:8.1f} msg/s  ({run['seconds']:.1f} s)")
    print(f"  first message at the sink {run['first_at']:.1f} s after campaign_start was called")
    print(f"  sent / duplicates at sink {run['sent']} / {run['duplicates']}")
    per_message = {k: f"{v / recipients * 1000:.2f}" for k, v in run["cpu"].items()}
    print(f"  CPU ms per message {per_message} ({os.cpu_count()} cores)")
    per_process = ", ".join(f"{mb:.0f}" for mb in run["peaks"].values())
    samples = run["samples"]
    print(f"  peak RSS per worker process {per_process} MB (target < 250 MB each)")
    print(
        f"  all worker processes RSS first {samples[0]:.0f} MB, peak {max(samples):.0f} MB, "
        f"last {samples[-1]:.0f} MB (target flat)"
    )
    for sent_then, seconds, mb in run["checkpoints"]:
        print(f"    at {sent_then:>9,} sent ({seconds:6.0f} s): all worker processes {mb:.0f} MB")


OUTCOME_PATHS = {
    "overlap": "chunked (as shipped)",
    "single": "one UPDATE per outcome",
    "orm": "ORM update()",
}
APPS = {"overlap": "windown", "single": "bench._single_outcomes", "orm": "bench._orm_outcomes"}


def outcome_path(name: str) -> tuple[str, str, dict]:
    """A path of --outcomes: its label, Celery app and environment (chunkN: a chunk of N)."""
    if name.startswith("chunk"):
        size = int(name.removeprefix("chunk"))
        return f"chunk {size}", "windown", {"NOTICES_OUTCOME_CHUNK": str(size)}
    return OUTCOME_PATHS[name], APPS[name], {}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size per worker")
    parser.add_argument(
        "--outcomes",
        default="overlap,orm,overlap,orm",
        help="how windown records outcomes, one campaign each, in this order: overlap "
        "(as shipped: a chunk per overlapped UPDATE, notices/outcome_batches.py), chunkN (the "
        "same with NOTICES_OUTCOME_CHUNK=N), single (one overlapped UPDATE per outcome, "
        "notices/outcomes.py) or orm (one ORM update() per outcome, bench/_orm_outcomes.py); "
        "the median of each is compared",
    )
    parser.add_argument(
        "--max-age-ms",
        type=int,
        default=None,
        help="NOTICES_OUTCOME_MAX_AGE_MS for every campaign (default: the setting's)",
    )
    parser.add_argument(
        "--sync-commit",
        action="store_true",
        help="windown commits outcomes with synchronous commit (NOTICES_ASYNC_COMMIT=false)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of windown's campaigns, the blaster, the floor and post_office, one "
        "after another, so that a machine whose speed changes hurts all alike; medians compared",
    )
    parser.add_argument(
        "--no-postoffice", action="store_true", help="skip django-post_office (quicker runs)"
    )
    parser.add_argument(
        "--windown-only", action="store_true", help="only the campaign (memory runs)"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database (and run Redis)")
        return
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    connections = args.workers * args.concurrency
    from django.conf import settings

    settings.NOTICES_PARALLEL_TASKS = connections
    count_file = Path(tempfile.gettempdir()) / f"windown-bench-sink-{os.getpid()}"
    sink = start_sink(count_file)
    commit = "false" if args.sync_commit else "true"
    loads = [f"start: {load()}"]
    every = []  # (path, run), alternating when a path is named more than once
    rounds = []  # per round: its campaigns' rates per path and the baselines' rates
    skip_postoffice = args.no_postoffice or args.windown_only
    for number in range(1, args.rounds + 1):
        mine = []
        for path in args.outcomes.split(","):
            label, app, env = outcome_path(path)
            env["NOTICES_ASYNC_COMMIT"] = commit
            if args.max_age_ms is not None:
                env["NOTICES_OUTCOME_MAX_AGE_MS"] = str(args.max_age_ms)
            run = windown_run(args, connections, sink, count_file, app, env)
            run["load"] = load()
            mine.append((path, run))
        every += mine
        campaign = mine[-1][1]["campaign"]
        baselines = {}
        if not args.windown_only:
            messages = prebuilt(campaign)
            baselines["blaster"], cpu_blaster = blaster_run(messages, connections, sink)
            loads.append(f"round {number} after the blaster: {load()}")
            baselines["floor"] = floor_run(campaign, messages, connections)
            loads.append(f"round {number} after the floor: {load()}")
        if not skip_postoffice:
            baselines["postoffice"] = postoffice(campaign, connections)
            loads.append(f"round {number} after post_office: {load()}")
        rates = {
            path: statistics.median(r["rate"] for p, r in mine if p == path)
            for path in dict.fromkeys(p for p, _ in mine)
        }
        rounds.append((rates, baselines))
    if not args.windown_only:
        compose_fast, compose_django = compose_times(campaign)
    runs = {}  # per path: median rate and median worker CPU per message of its campaigns
    for path in dict.fromkeys(p for p, _ in every):
        mine = [r for p, r in every if p == path]
        runs[path] = {
            "rate": statistics.median(r["rate"] for r in mine),
            "worker_ms": statistics.median(r["cpu"]["worker"] for r in mine)
            / args.recipients
            * 1000,
        }

    def baseline(name: str) -> float | None:
        values = [b[name] for _r, b in rounds if b.get(name)]
        return statistics.median(values) if values else None

    blaster_rate, floor_rate, postoffice_rate = (
        baseline("blaster"),
        baseline("floor"),
        baseline("postoffice"),
    )
    sink.terminate()
    count_file.unlink(missing_ok=True)

    print(f"recipients                 {args.recipients}")
    print(
        f"SMTP connections           {connections} ({args.workers} worker(s) x {args.concurrency})"
    )
    print(f"windown commits            {'synchronous' if args.sync_commit else 'asynchronous'}")
    from django.conf import settings as shipped

    print(
        f"shipped defaults           NOTICES_OUTCOME_CHUNK={shipped.NOTICES_OUTCOME_CHUNK}, "
        f"NOTICES_OUTCOME_MAX_AGE_MS={shipped.NOTICES_OUTCOME_MAX_AGE_MS}"
        + (f" (this run: max age {args.max_age_ms} ms)" if args.max_age_ms is not None else "")
    )
    print(f"{os.cpu_count()} cores; " + "; ".join(loads))
    for path, run in every:
        report_windown(outcome_path(path)[0], run, args.recipients)
        print(f"  after this campaign: {run['load']}")
    print("median of each path:")
    for path, run in runs.items():
        print(
            f"  {outcome_path(path)[0]:<25}{run['rate']:8.1f} msg/s, "
            f"worker CPU {run['worker_ms']:.2f} ms per message"
        )
    for other in ("single", "orm"):
        if {"overlap", other} <= runs.keys():
            gain = runs["overlap"]["rate"] / runs[other]["rate"] - 1
            print(f"gain of windown as shipped over {OUTCOME_PATHS[other]}: {gain:+.1%}")
            pairs = [
                f"{a['rate'] / b['rate'] - 1:+.0%}"
                for (pa, a), (pb, b) in itertools.pairwise(every)
                if (pa, pb) == ("overlap", other)
            ]
            print(f"  each overlap run against the {other} run after it: {', '.join(pairs)}")
    if blaster_rate:
        print(f"raw smtplib blaster        {blaster_rate:8.1f} msg/s")
        print(
            f"crash-safe floor           {floor_rate:8.1f} msg/s  (blaster + UPDATE, sync commit)"
        )
        print(f"floor / blaster            {floor_rate / blaster_rate:8.2f}")
        per_message = {k: f"{v / len(messages) * 1000:.2f}" for k, v in cpu_blaster.items()}
        print(f"CPU ms per message, blaster {per_message}")
        print(
            f"compose CPU ms per notice  {compose_fast:.3f} (composer) vs {compose_django:.3f} "
            f"(Django EmailMultiAlternatives): {compose_django / compose_fast:.1f}x"
        )
    for path, run in runs.items():
        label = outcome_path(path)[0]
        if floor_rate:
            print(
                f"windown ({label}) / crash-safe floor {run['rate'] / floor_rate:6.2f}"
                "  (target >= 0.9)"
            )
            print(f"windown ({label}) / blaster          {run['rate'] / blaster_rate:6.2f}")
        if postoffice_rate:
            print(
                f"windown ({label}) / post_office      {run['rate'] / postoffice_rate:6.2f}"
                "  (target >= 2)"
            )
        if len(rounds) > 1:
            for name, title in (("floor", "crash-safe floor"), ("postoffice", "post_office")):
                each = [f"{rates[path] / b[name]:.2f}" for rates, b in rounds if b.get(name)]
                if each:
                    print(f"  each round, windown ({label}) / {title}: {', '.join(each)}")
    if postoffice_rate:
        print(f"django-post_office         {postoffice_rate:8.1f} msg/s  (statuses per batch)")
    elif not skip_postoffice:
        print(f"django-post_office          not measured (no {POSTOFFICE_PYTHON})")


if __name__ == "__main__":
    main()
