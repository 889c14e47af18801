"""Send rate of a notices campaign through real Celery workers vs a raw smtplib blaster.

Both send the same messages into the same local aiosmtpd sink (discarding) with the same
number of SMTP connections, in the same run; windown also commits every message's outcome.
The worker's resident memory is sampled during the campaign. Needs PostgreSQL (DATABASE_URL)
and Redis; prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wd_notices \\
    python bench/bench_notices_send.py --recipients 100000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import secrets
import smtplib
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
    try:
        sent, duplicates = count_file.read_text().split()
        return int(sent), int(duplicates)
    except (FileNotFoundError, ValueError):
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
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from notices.models import Recipient
    from windown import services
    from windown.models import User

    user, _ = User.objects.get_or_create(email="bench@windown.example")
    slug = f"bench-{int(time.time())}"
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


def blaster_run(campaign, connections: int, sink, count_file: Path):
    """The same messages, pre-rendered, through a raw smtplib blaster: rate, CPU, count."""
    from notices.composer import Composer
    from notices.models import Delivery

    rows = Delivery.objects.filter(campaign=campaign).select_related(
        "recipient", "campaign__winddown"
    )
    composer = Composer(campaign, {t.language: t for t in campaign.templates.all()})
    messages = []  # the very bytes windown sends (same composer), built before timing
    for d in rows.iterator(chunk_size=2000):
        outgoing = composer.compose(d)
        messages.append((outgoing.sender, [outgoing.to], outgoing.data))
    before = sink_count(count_file)[0]
    cpu_before = {"blaster": time.process_time(), "sink": cpu_seconds([sink.pid])}
    blaster_rate = blaster(messages, connections)
    cpu_blaster = {
        "blaster": time.process_time() - cpu_before["blaster"],
        "sink": cpu_seconds([sink.pid]) - cpu_before["sink"],
    }
    assert sink_count(count_file)[0] >= before  # the sink kept counting
    return blaster_rate, cpu_blaster, len(messages)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size per worker")
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
    import redis

    for url in (BROKER, RATE_REDIS):
        redis.Redis.from_url(url).flushdb()
    connections = args.workers * args.concurrency
    winddown = setup(args.recipients)
    from django.db import close_old_connections

    from notices.models import Delivery
    from notices.services.campaigns import campaign_create, campaign_start
    from windown.models import Membership

    director = Membership.objects.get(winddown=winddown)
    campaign = campaign_create(by=director, name="Bench", rate_limit=100_000)
    env = {
        **os.environ,
        # as in production: DEBUG off (no query log growing in memory)
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_URL": f"smtp://127.0.0.1:{SINK_PORT}",
        "NOTICES_PARALLEL_TASKS": str(connections),
    }
    count_file = Path(tempfile.gettempdir()) / f"windown-bench-sink-{os.getpid()}"
    sink = start_sink(count_file)
    workers = [
        subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "windown",
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
    time.sleep(6)  # workers up
    os.environ["NOTICES_PARALLEL_TASKS"] = str(connections)
    from django.conf import settings

    settings.NOTICES_PARALLEL_TASKS = connections
    cpu_before = {
        "worker": cpu_seconds(worker_pids(workers)),
        "sink": cpu_seconds([sink.pid]),
        "machine": machine_cpu(),
    }
    began = time.monotonic()
    campaign_start(by=director, campaign=campaign)
    peaks, samples, first_at, checkpoints = {}, [], None, []
    while True:
        sent, _ = sink_count(count_file)
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
    windown_seconds = time.monotonic() - began
    # outcomes are committed per message: wait for the last rows to be recorded
    while Delivery.objects.filter(campaign=campaign, status__in=["queued", "sending"]).exists():
        time.sleep(0.2)
    windown_rate = args.recipients / windown_seconds
    cpu_windown = {
        "worker": cpu_seconds(worker_pids(workers)) - cpu_before["worker"],
        "sink": cpu_seconds([sink.pid]) - cpu_before["sink"],
    }
    # PostgreSQL backends come and go with the tasks: count them with Redis and this
    # script as the rest of the machine's busy time.
    cpu_windown["rest (PostgreSQL, Redis, bench)"] = (
        machine_cpu() - cpu_before["machine"] - sum(cpu_windown.values())
    )
    sent, duplicates = sink_count(count_file)
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(30)

    if args.windown_only:
        blaster_rate, cpu_blaster, built = None, {}, 0
    else:
        blaster_rate, cpu_blaster, built = blaster_run(campaign, connections, sink, count_file)
    skip_postoffice = args.no_postoffice or args.windown_only
    postoffice_rate = None if skip_postoffice else postoffice(campaign, connections)
    sink.terminate()
    count_file.unlink(missing_ok=True)

    print(f"recipients                 {args.recipients}")
    print(
        f"SMTP connections           {connections} ({args.workers} worker(s) x {args.concurrency})"
    )
    print(f"windown (commit each)      {windown_rate:8.1f} msg/s  ({windown_seconds:.1f} s)")
    print(f"first message at the sink  {first_at:.1f} s after campaign_start was called")
    if blaster_rate:
        print(f"raw smtplib blaster        {blaster_rate:8.1f} msg/s")
        print(f"ratio windown / blaster    {windown_rate / blaster_rate:8.2f}  (target >= 0.9)")
    print(f"sent / duplicates at sink  {sent} / {duplicates}")
    per_message = {k: f"{v / args.recipients * 1000:.2f}" for k, v in cpu_windown.items()}
    print(f"CPU ms per message, windown {per_message} ({os.cpu_count()} cores)")
    if built:
        per_message = {k: f"{v / built * 1000:.2f}" for k, v in cpu_blaster.items()}
        print(f"CPU ms per message, blaster {per_message}")
    per_process = ", ".join(f"{mb:.0f}" for mb in peaks.values())
    print(f"peak RSS per worker process {per_process} MB (target < 250 MB each)")
    print(
        f"all worker processes RSS   first {samples[0]:.0f} MB, peak {max(samples):.0f} MB, "
        f"last {samples[-1]:.0f} MB (target flat)"
    )
    for sent_then, seconds, mb in checkpoints:
        print(f"  at {sent_then:>9,} sent ({seconds:6.0f} s): all worker processes {mb:.0f} MB")
    if postoffice_rate:
        print(f"django-post_office         {postoffice_rate:8.1f} msg/s  (statuses per batch)")
        print(f"ratio windown / post_office{windown_rate / postoffice_rate:8.2f}  (target >= 1.0)")
    elif not skip_postoffice:
        print(f"django-post_office          not measured (no {POSTOFFICE_PYTHON})")


if __name__ == "__main__":
    main()
