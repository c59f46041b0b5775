"""A local SMTP sink for the mail benchmark: accepts everything, keeps only counts.

    python bench/smtp_sink.py PORT REPORT.json

Runs until SIGTERM, then writes {"messages": n, "duplicates": d}, where a duplicate
is a second message with the same Subject to the same recipient.
"""

import asyncio
import json
import re
import signal
import sys
from collections import Counter

from aiosmtpd.controller import Controller

SUBJECT = re.compile(rb"^Subject: (.*)$", re.MULTILINE)


class CountingSink:
    def __init__(self):
        self.seen = Counter()
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        match = SUBJECT.search(envelope.original_content or envelope.content)
        subject = match.group(1).strip() if match else b""
        for rcpt in envelope.rcpt_tos:
            self.seen[(subject, rcpt)] += 1
        self.messages += 1
        return "250 OK"


def main():
    port, report = int(sys.argv[1]), sys.argv[2]
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    duplicates = sum(n - 1 for n in sink.seen.values() if n > 1)
    with open(report, "w") as handle:
        json.dump({"messages": sink.messages, "duplicates": duplicates}, handle)


if __name__ == "__main__":
    main()
