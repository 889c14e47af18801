"""Send the benchmark's notices through django-post_office into the same sink; print msg/s.

Run by bench_notices_send.py with /tmp/postoffice-venv's Python:
    python bench/_postoffice_run.py MESSAGES.jsonl CONNECTIONS
MESSAGES.jsonl holds the very notices windown sent (subject, text, html, from, to, headers).
Loading them into post_office's queue is not timed; its `send_queued` (CONNECTIONS processes,
one thread and so one SMTP connection each) is timed until the queue is empty.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "postoffice_settings"


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from post_office.mail import get_queued, send_queued
    from post_office.models import STATUS, Email

    call_command("migrate", "post_office", verbosity=0)
    Email.objects.all().delete()
    path, processes = sys.argv[1], int(sys.argv[2])
    with open(path) as lines:
        batch = []
        for line in lines:
            m = json.loads(line)
            batch.append(
                Email(
                    from_email=m["from"],
                    to=[m["to"]],
                    subject=m["subject"],
                    message=m["text"],
                    html_message=m["html"],
                    headers=m["headers"],
                    status=STATUS.queued,
                )
            )
            if len(batch) == 5000:
                Email.objects.bulk_create(batch)
                batch = []
        Email.objects.bulk_create(batch)
    total = Email.objects.count()
    began = time.monotonic()
    while True:
        # post_office forks its senders with the parent's database connection, and a child
        # closing it ends the parent's session too: start each round on a fresh one.
        connection.close()
        if not get_queued().exists():
            break
        send_queued(processes=processes)
    seconds = time.monotonic() - began
    connection.close()
    sent = Email.objects.filter(status=STATUS.sent).count()
    print(json.dumps({"total": total, "sent": sent, "seconds": seconds}))


if __name__ == "__main__":
    main()
