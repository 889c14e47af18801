"""Measure the audit log's Merkle tree at 1,000,000 events: root, inclusion and consistency proofs.

Run from the repository root: python bench/bench_merkle.py [--events 1000000]
Uses DATABASE_URL if set (a throwaway database: the script migrates it and adds events), otherwise
a fresh SQLite file in /tmp. Prints seconds and peak memory; asserts nothing.

First the pure functions over leaf hashes held in a list, then the Django layer, which streams
the events' hashes from the database in seq order (nothing cached, nothing new stored).
"""

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ.setdefault("DEBUG", "true")
SQLITE = Path("/tmp/windown-bench-merkle.sqlite3")  # noqa: S108 - a throwaway bench file
if "DATABASE_URL" not in os.environ:
    SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
os.environ.setdefault("WINDOWN_SIGNING_DIR", tempfile.mkdtemp(prefix="windown-bench-signing-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from windown import merkle  # noqa: E402
from windown.audit import audit_record  # noqa: E402
from windown.checkpoints import (  # noqa: E402
    checkpoint_sign,
    consistency_check,
    inclusion_proof_for,
    inclusion_proofs_for,
)
from windown.localca import local_ca_create  # noqa: E402
from windown.models import AuditEvent, AuditHead, User, WindDown  # noqa: E402
from windown.services import winddown_create  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn):
    # CPU seconds of this process too: on a shared machine wall time mostly measures the others
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<60} {wall:7.2f} s wall {cpu:7.2f} s CPU   peak RSS {rss_mib():5.0f} MiB")
    return result


def pure(n: int) -> None:
    leaves = [merkle.leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]
    ranges = merkle.inclusion_ranges(n // 2, n)
    timed(f"pure: root of {n:,} leaves", lambda: merkle.root(iter(leaves), n))
    timed("pure: inclusion proof (leaf n/2)", lambda: merkle.range_roots(iter(leaves), ranges))
    batch = [r for i in range(0, n, n // 200) for r in merkle.inclusion_ranges(i, n)]
    timed("pure: 200 inclusion proofs in one pass", lambda: merkle.range_roots(iter(leaves), batch))
    old = n - 1000
    ranges = merkle.consistency_ranges(old, n)
    timed(f"pure: consistency proof {old:,} -> {n:,}", lambda: merkle.range_roots(leaves, ranges))


def add_events(winddown: WindDown, n: int) -> None:
    """Append n synthetic events after the wind-down's own (chain links are not needed here)."""
    head = AuditHead.objects.get(winddown=winddown)
    first, last = head.seq + 1, head.seq + n
    columns = (
        "winddown_id, seq, actor_label, action, object_type, object_id, payload, created_at, "
        "prev_hash, hash"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO windown_auditevent ({columns}) SELECT %s, g, 'bench', "
                "'bench.event', '', '', '{}', now(), '', "
                "encode(sha256(('bench-' || g)::text::bytea), 'hex') "
                "FROM generate_series(%s, %s) g",
                [winddown.pk, first, last],
            )
        else:
            sql = f"INSERT INTO windown_auditevent ({columns}) VALUES (%s, %s, 'bench', 'bench.event', '', '', '{{}}', CURRENT_TIMESTAMP, '', %s)"
            for start in range(first, last + 1, 20000):
                rows = [
                    (winddown.pk, seq, hashlib.sha256(f"bench-{seq}".encode()).hexdigest())
                    for seq in range(start, min(start + 20000, last + 1))
                ]
                cursor.executemany(sql, rows)
        AuditHead.objects.filter(pk=head.pk).update(seq=last)


def django_layer(n: int) -> None:
    call_command("migrate", verbosity=0)
    local_ca_create(directory=Path(settings.WINDOWN_SIGNING_DIR), organization="Bench", force=True)
    director, _ = User.objects.get_or_create(email="bench-merkle@example.com")
    slug = f"bench-merkle-{int(time.time())}"
    winddown = winddown_create(
        creator=director,
        slug=slug,
        company_legal_name="Bench Merkle Ltd",
        registration_country="CN",
        company_form="CN_enterprise",
        deletion_deadline=date(2027, 3, 31),
    )
    timed(f"insert {n:,} synthetic events ({connection.vendor})", lambda: add_events(winddown, n))
    first = timed(
        "checkpoint_sign: root over the database, signed",
        lambda: checkpoint_sign(winddown=winddown),
    )
    for i in range(3):
        audit_record(winddown=winddown, actor=None, action="bench.more", payload={"i": i})
    second = timed(
        "checkpoint_sign: again, with consistency proof from the first",
        lambda: checkpoint_sign(winddown=winddown),
    )
    middle = AuditEvent.objects.get(winddown=winddown, seq=first.tree_size // 2)
    proof = timed(
        "inclusion_proof_for (event n/2, second checkpoint)",
        lambda: inclusion_proof_for(event=middle, checkpoint=second),
    )
    spread = list(
        AuditEvent.objects.filter(winddown=winddown, seq__in=range(1, first.tree_size, n // 200))
    )
    timed(
        f"inclusion_proofs_for ({len(spread)} events, one pass)",
        lambda: inclusion_proofs_for(events=spread, checkpoint=second),
    )
    _root, consistency, ok = timed(
        "consistency proof first -> second checkpoint (verify_audit --checkpoint)",
        lambda: consistency_check(
            winddown=winddown,
            old_size=first.tree_size,
            old_root=bytes.fromhex(first.root_hash),
            new_size=second.tree_size,
        ),
    )
    print(
        f"  tree sizes {first.tree_size:,} -> {second.tree_size:,}; inclusion path "
        f"{len(proof.path)} hashes; consistency proof {len(consistency)} hashes; ok={ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-pure", action="store_true", help="Only the database layer.")
    args = parser.parse_args()
    if not args.skip_pure:
        pure(args.events)
    django_layer(args.events)


if __name__ == "__main__":
    main()
