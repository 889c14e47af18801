"""A discarding aiosmtpd sink for the notices benchmarks: counts messages, keeps nothing.

python bench/_notices_sink.py PORT COUNT_FILE — the count is written to COUNT_FILE every 0.2 s.
"""

import sys
import threading
import time

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.count = 0
        self.ids: set[bytes] = set()
        self.duplicates = 0

    async def handle_DATA(self, server, session, envelope):
        start = envelope.content.find(b"Message-ID:")
        message_id = envelope.content[start : envelope.content.find(b"\n", start)]
        if message_id in self.ids:
            self.duplicates += 1
        self.ids.add(message_id)
        self.count += 1
        return "250 OK"


def main():
    port, count_file = int(sys.argv[1]), sys.argv[2]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()

    def report():
        while True:
            with open(count_file, "w") as out:
                out.write(f"{handler.count} {handler.duplicates}")
            time.sleep(0.2)

    threading.Thread(target=report, daemon=True).start()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
